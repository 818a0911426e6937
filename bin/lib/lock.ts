/**
 * One owner of a data directory at a time. sqld takes no lock of its own, and
 * two servers on one database corrupt its replication log, so whoever runs sqld
 * on a data directory (the stack, or the admin CLI when the stack is down)
 * holds <data>/run/owner.json.
 *
 * The file appears whole or not at all (written aside, then hard-linked into
 * place, which fails if it exists). A lock whose owner died is broken by
 * renaming it aside — only one contender's rename can succeed — and what was
 * renamed is checked: a live lock taken meanwhile is put back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from './child.ts';
import { StartupError } from './fail.ts';
import { writeFileWhole } from './files.ts';

export interface OwnerInfo {
  pid: number;
  kind: 'stack' | 'cli';
  /** When the owner took the lock (ms), for people reading the file. */
  startedAt: number;
  /** Where the owner's sqld listens, once it does. */
  sqldUrl?: string;
  /** Where the gateway listens (stack only). */
  gatewayUrl?: string;
  /** The gateway's loopback-only internal socket (stack only). */
  internalUrl?: string;
  /** Process-group leaders the owner started, stopped if the owner dies. */
  children?: number[];
}

/** A lock file that cannot be read this long after it was written is damaged, not being written. */
const UNREADABLE_GRACE_MS = 5000;

export function ownerFile(runDir: string): string {
  return path.join(runDir, 'owner.json');
}

function parseOwner(file: string): OwnerInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as OwnerInfo;
    return Number.isInteger(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export function readOwner(runDir: string): OwnerInfo | null {
  return parseOwner(ownerFile(runDir));
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Stops the servers a dead owner left running (only ours: a pid may have been reused since). */
function stopLeftovers(owner: OwnerInfo): void {
  for (const pid of owner.children ?? []) {
    if (processAlive(pid) && /sqld|workerd|caddy/.test(commandLine(pid))) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
}

/**
 * The live owner of the data directory, or null. A dead owner's lock is
 * broken (and the servers it left are stopped) on the way.
 */
export function liveOwner(runDir: string): OwnerInfo | null {
  const file = ownerFile(runDir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return null;
  }
  const owner = parseOwner(file);
  if (owner && processAlive(owner.pid)) return owner;
  if (!owner && Date.now() - stat.mtimeMs < UNREADABLE_GRACE_MS) {
    throw new StartupError(`${file} cannot be read; if no other process is starting, remove it`);
  }
  const aside = `${file}.stale.${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return liveOwner(runDir); // another process broke it first
  }
  const taken = parseOwner(aside);
  if (taken && processAlive(taken.pid)) {
    // A live lock was taken between our read and our rename: put it back.
    try {
      fs.linkSync(aside, file);
    } finally {
      fs.rmSync(aside, { force: true });
    }
    return taken;
  }
  if (taken) stopLeftovers(taken);
  fs.rmSync(aside, { force: true });
  return null;
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
    const file = ownerFile(runDir);
    const info: OwnerInfo = { pid: process.pid, kind, startedAt: Date.now() };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        writeFileWhole(file, JSON.stringify(info), { exclusive: true });
        return new DataDirLock(file, info);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = liveOwner(runDir);
      if (owner) {
        throw new StartupError(
          owner.kind === 'stack'
            ? `the stack is already running on this data directory (pid ${owner.pid}${owner.gatewayUrl ? `, ${owner.gatewayUrl}` : ''})`
            : `the admin CLI (pid ${owner.pid}) is using this data directory; try again in a moment`,
        );
      }
    }
    throw new StartupError(`cannot take the lock ${file}: other processes keep taking it`);
  }

  update(patch: Partial<OwnerInfo>): void {
    this.#info = { ...this.#info, ...patch };
    writeFileWhole(this.#file, JSON.stringify(this.#info));
  }

  release(): void {
    if (readOwner(path.dirname(this.#file))?.pid === process.pid) fs.rmSync(this.#file, { force: true });
  }
}
