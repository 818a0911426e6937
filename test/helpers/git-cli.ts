/**
 * The real git CLI for tests: a clean configuration (no user or system
 * config, never a prompt), a fixed identity, and results as values so tests
 * can assert on refusals as well as successes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: os.tmpdir(),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_SYSTEM: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_AUTHOR_NAME: 'Git User',
    GIT_AUTHOR_EMAIL: 'git-user@example.test',
    GIT_COMMITTER_NAME: 'Git User',
    GIT_COMMITTER_EMAIL: 'git-user@example.test',
    LC_ALL: 'C',
    ...extra,
  };
}

/** Runs git; resolves with its exit code and output (never rejects on a git failure). */
export function runGit(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; input?: Uint8Array | string } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.quotepath=false', '-c', 'init.defaultBranch=main', ...args], { cwd: options.cwd, env: gitEnv(options.env), stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    if (child.stdin) {
      child.stdin.on('error', () => {}); // git may exit without reading it
      child.stdin.end(options.input);
    }
  });
}

/** Runs git and returns stdout; throws with the output when git fails. */
export async function git(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; input?: Uint8Array | string } = {}): Promise<string> {
  const r = await runGit(args, options);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Writes `files` (path → content) under `dir`, making folders. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

/** Commits everything in the work tree `dir` with `message` (and optional fixed date). */
export async function commitAll(dir: string, message: string, date?: number): Promise<string> {
  const env: Record<string, string> = date ? { GIT_AUTHOR_DATE: `${date} +0000`, GIT_COMMITTER_DATE: `${date} +0000` } : {};
  await git(['add', '-A'], { cwd: dir });
  await git(['commit', '-q', '--allow-empty', '-m', message], { cwd: dir, env });
  return (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();
}

/**
 * Waits until a stored repository's `main` points at `revision`: the wiki
 * mirrors its head to the ref on disk just after answering a write, so a test
 * reading the repository with native git right after a write waits for it.
 */
export async function waitForBranch(gitdir: string, revision: string, timeoutMs = 5000): Promise<void> {
  const ref = path.join(gitdir, 'refs', 'heads', 'main');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = fs.existsSync(ref) ? fs.readFileSync(ref, 'utf8').trim() : null;
    if (now === revision) return;
    if (Date.now() > deadline) throw new Error(`${ref} is ${now}, not ${revision}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
