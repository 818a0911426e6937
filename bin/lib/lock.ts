/**
 * One owner of a data directory at a time. sqld takes no lock of its own, and
 * two servers on one database corrupt its replication log, so whoever runs sqld
 * on a data directory (the stack, or the admin CLI when the stack is down)
 * holds <data>/run/owner.json, created exclusively. A holder that died is
 * detected by its pid, and children it left behind are stopped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from './child.ts';
import { StartupError } from './fail.ts';

export interface OwnerInfo {
  pid: number;
  kind: 'stack' | 'cli';
  startedAt: number;
  /** Where the owner's sqld listens, once it does. */
  sqldUrl?: string;
  /** Where the gateway listens (stack only). */
  gatewayUrl?: string;
  /** Process-group leaders the owner started, stopped if the owner dies. */
  children?: number[];
}

export function ownerFile(runDir: string): string {
  return path.join(runDir, 'owner.json');
}

export function readOwner(runDir: string): OwnerInfo | null {
  try {
    return JSON.parse(fs.readFileSync(ownerFile(runDir), 'utf8')) as OwnerInfo;
  } catch {
    return null;
  }
}

/** The live owner of the data directory, or null (clearing what a dead one left). */
export function liveOwner(runDir: string): OwnerInfo | null {
  const owner = readOwner(runDir);
  if (!owner) return null;
  if (processAlive(owner.pid)) return owner;
  for (const pid of owner.children ?? []) {
    // Only our own servers: a pid may have been reused by an unrelated process since.
    if (processAlive(pid) && /sqld|workerd|caddy/.test(commandLine(pid))) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  fs.rmSync(ownerFile(runDir), { force: true });
  return null;
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

export class DataDirLock {
  readonly #file: string;
  #info: OwnerInfo;

  private constructor(file: string, info: OwnerInfo) {
    this.#file = file;
    this.#info = info;
  }

  /** Takes the lock or throws a StartupError naming the current owner. */
  static acquire(runDir: string, kind: OwnerInfo['kind']): DataDirLock {
    const info: OwnerInfo = { pid: process.pid, kind, startedAt: Date.now() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(ownerFile(runDir), JSON.stringify(info), { flag: 'wx' });
        return new DataDirLock(ownerFile(runDir), info);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = liveOwner(runDir);
        if (owner) {
          throw new StartupError(
            owner.kind === 'stack'
              ? `the stack is already running on this data directory (pid ${owner.pid}${owner.gatewayUrl ? `, ${owner.gatewayUrl}` : ''})`
              : `the admin CLI (pid ${owner.pid}) is using this data directory; try again in a moment`,
          );
        }
      }
    }
    throw new StartupError(`cannot take the lock ${ownerFile(runDir)}`);
  }

  update(patch: Partial<OwnerInfo>): void {
    this.#info = { ...this.#info, ...patch };
    fs.writeFileSync(this.#file, JSON.stringify(this.#info));
  }

  release(): void {
    const current = readOwner(path.dirname(this.#file));
    if (current?.pid === process.pid) fs.rmSync(this.#file, { force: true });
  }
}
