/** Running the project's commands as real processes, and finding what they leave behind. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../bin/lib/build.ts';

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves with the output once it matches `re`; rejects on exit or timeout. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node <script> …args` with this Node (the toolchain's) from `root`. */
export function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv, root = ROOT): Spawned {
  const child = spawn(process.execPath, [path.join(root, script), ...args], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => out,
    exit,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (re.test(out)) {
            cleanup();
            resolve(out);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${re}; output:\n${out}`));
        }, timeoutMs);
        void exit.then(() => setTimeout(() => {
          if (!re.test(out)) {
            cleanup();
            reject(new Error(`exited before ${re}; output:\n${out}`));
          }
        }, 50));
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs a script to completion. */
export async function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const s = spawnScript(script, args, env);
  const { code } = await s.exit;
  return { code, output: s.output() };
}

/** Pids of live processes whose command line mentions `needle` (e.g. a data directory). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmd.includes(needle) && !/\) Z /.test(stat)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}
