/**
 * A supervised child process: its own process group (so a terminal's Ctrl-C
 * reaches only the supervisor, which stops children in order), output passed
 * on line by line with a prefix, the last lines kept for error messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));

export type LogSink = (line: string) => void;

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  log: LogSink;
  /** Extra file descriptors after stdio: a pipe, or a descriptor of this process to pass on (a listening socket). */
  extraStdio?: ('pipe' | 'ignore' | number)[];
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  #tail: string[] = [];
  #exit: ExitInfo | null = null;

  constructor(name: string, command: string, args: string[], options: ChildOptions) {
    this.name = name;
    // With util-linux's setpriv the kernel sends SIGTERM to the child if the
    // supervisor dies without stopping it (even by SIGKILL): no orphans.
    const [cmd, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
    this.process = spawn(cmd, argv, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', ...(options.extraStdio ?? [])],
    });
    for (const stream of [this.process.stdout, this.process.stderr]) {
      if (!stream) continue;
      readline.createInterface({ input: stream }).on('line', (line) => {
        this.#tail.push(line);
        if (this.#tail.length > 40) this.#tail.shift();
        options.log(`[${name}] ${line}`);
      });
    }
    this.exited = new Promise((resolve) => {
      this.process.once('error', (err) => {
        this.#tail.push(String(err));
        this.#exit = { code: -1, signal: null };
        resolve(this.#exit);
      });
      // 'close', not 'exit': by then stdout and stderr are drained, so tail() has the cause.
      this.process.once('close', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return this.#exit === null;
  }

  /** The last lines the child printed, for an error message. */
  tail(n = 12): string {
    return this.#tail.slice(-n).join('\n');
  }

  /** SIGTERM to the whole process group, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<ExitInfo> {
    if (!this.alive || this.pid === undefined) return this.exited;
    const pid = this.pid;
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** True when a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
