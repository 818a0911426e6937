/**
 * Helpers for the git tests (no tests of its own): temporary repositories and
 * the real git CLI, run with a clean configuration so results do not depend
 * on the machine's git settings.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

const roots: string[] = [];
after(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(prefix = 'wiki-git-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  roots.push(dir);
  return dir;
}

/** The environment every git CLI call runs with; `extra` adds dates or identities. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: os.tmpdir(),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_SYSTEM: '/dev/null',
    GIT_AUTHOR_NAME: 'CLI Author',
    GIT_AUTHOR_EMAIL: 'cli@example.test',
    GIT_COMMITTER_NAME: 'CLI Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.test',
    LC_ALL: 'C',
    ...extra,
  };
}

/** Runs git and returns stdout as text (throws with stderr on failure). */
export function git(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): string {
  return execFileSync('git', ['-c', 'core.quotepath=false', ...args], {
    cwd: options.cwd,
    env: gitEnv(options.env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs git and returns stdout as bytes. */
export function gitBytes(args: readonly string[], cwd?: string): Buffer {
  return execFileSync('git', [...args], { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** `git fsck --strict` on a bare repository; throws with git's complaints if it is not clean. */
export function fsckStrict(gitdir: string): void {
  git(['--git-dir', gitdir, 'fsck', '--strict', '--no-dangling', '--no-progress']);
}

/** `git ls-tree -r` of a commit as `path → oid`. */
export function lsTree(gitdir: string, rev: string): Map<string, string> {
  const out = git(['--git-dir', gitdir, 'ls-tree', '-r', '-z', '--full-tree', rev]);
  const files = new Map<string, string>();
  for (const line of out.split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [, , oid] = line.slice(0, tab).split(' ');
    files.set(line.slice(tab + 1), oid ?? '');
  }
  return files;
}

/** Writes files (creating folders) in a working tree. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** Deterministic pseudo-random bytes (every byte value appears). */
export function binaryBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = i < 256 ? i : x & 0xff;
  }
  return out;
}

/** A commit identity for tests. */
export const ALICE = { name: 'Alice Example', email: 'alice@example.test' };
/** The server's committer identity. */
export const SYSTEM = { name: 'robot.wtf', email: 'system@robot.wtf' };

/** Node's fs with a count of `readFile` calls on object files (what a remote fs would pay for). */
export function countingFs(): { fs: { promises: typeof fs.promises }; objectReads: () => number; reset: () => void } {
  let reads = 0;
  const promises = {
    ...fs.promises,
    readFile: ((file: unknown, ...rest: unknown[]) => {
      if (typeof file === 'string' && file.includes('/objects/')) reads++;
      return (fs.promises.readFile as (...a: unknown[]) => Promise<unknown>)(file, ...rest);
    }) as typeof fs.promises.readFile,
  };
  return { fs: { promises }, objectReads: () => reads, reset: () => { reads = 0; } };
}
