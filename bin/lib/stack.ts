/**
 * Starts the whole stack — sqld, migrations, workerd, optionally Caddy — on a
 * data directory, and stops it again leaving no process behind. Used by the
 * start command, the test suite and the benchmarks alike.
 */
import type { Child, LogSink } from './child.ts';
import { buildWorkers, watchWorkers } from './build.ts';
import { startCaddy } from './caddy.ts';
import { prepareDataDir, type DataPaths } from './data-dir.ts';
import { StartupError } from './fail.ts';
import { loadOrCreateKeys, type Keys } from './keys.ts';
import { DataDirLock } from './lock.ts';
import { migrateStore } from './migrate.ts';
import { claimPort } from './ports.ts';
import { defaultOrigin, type Settings } from './settings.ts';
import { startSqld } from './sqld.ts';
import { startWorkerd } from './workerd.ts';
import { openDb } from '../../workers/lib/db.ts';
import path from 'node:path';

export interface StackOptions {
  settings: Settings;
  log: LogSink;
  /** Rebuild on source changes and let workerd reload (development). */
  watch?: boolean;
  /** Skip the esbuild step (the caller built already). */
  skipBuild?: boolean;
  /** Restart sqld or workerd when they die (default true). */
  restart?: boolean;
}

export interface Stack {
  /** Where people reach the apex, e.g. http://wiki.localhost:8787. */
  origin: string;
  /** The gateway's loopback address, e.g. http://127.0.0.1:8787. */
  gatewayUrl: string;
  sqldUrl: string;
  port: number;
  sqldPort: number;
  paths: DataPaths;
  keysCreated: string[];
  children(): { sqld: Child; workerd: Child; caddy?: Child };
  /** Resolves when the stack stops for good (by stop(), or a child that keeps dying). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

const RESTART_DELAY_MS = 1000;
const MAX_RESTARTS_PER_MINUTE = 5;

export async function startStack(options: StackOptions): Promise<Stack> {
  const s = options.settings;
  const log = options.log;
  const paths = prepareDataDir(s.dataDir);
  const lock = DataDirLock.acquire(paths.run, 'stack');
  const started: Child[] = [];
  const cleanups: (() => Promise<unknown> | void)[] = [];
  try {
    const { keys, created } = await loadOrCreateKeys(paths.keys);
    if (created.length) log(`[up] generated ${created.join(', ')} in ${paths.keys}`);
    if (!options.skipBuild) await buildWorkers();

    const port = await claimPort(s.host, s.port);
    const sqldPort = await claimPort('127.0.0.1', s.sqldPort);
    const sqldAddress = `127.0.0.1:${sqldPort}`;

    let sqld = await startSqld({ dbPath: paths.sqld, host: '127.0.0.1', port: sqldPort, log });
    started.push(sqld);
    const { db, client } = openDb({ url: `http://${sqldAddress}` });
    const migration = await migrateStore(db);
    client.close();
    if (migration.applied) log(`[up] applied ${migration.applied} of ${migration.total} schema migrations`);

    const origin = s.publicOrigin || defaultOrigin(s, port);
    const workerdOptions = { host: s.host, port, sqldAddress, gitDir: paths.git, apex: s.apex, publicOrigin: origin, keys, watch: !!options.watch, log };
    let workerd = await startWorkerd(workerdOptions);
    started.push(workerd);

    let caddy: Child | undefined;
    if (s.caddy === 'local') {
      caddy = await startCaddy({ apex: s.apex, upstream: `127.0.0.1:${port}`, httpsPort: s.caddyHttpsPort, httpPort: s.caddyHttpPort, storage: path.join(paths.root, 'caddy'), log });
      started.push(caddy);
    }

    if (options.watch) {
      const ctx = await watchWorkers((ok, ms) => log(ok ? `[watch] rebuilt in ${ms} ms; workerd reloads` : '[watch] build failed; keeping the last good bundles'));
      cleanups.push(() => ctx.dispose());
    }

    const gatewayUrl = `http://${s.host === '0.0.0.0' ? '127.0.0.1' : s.host}:${port}`;
    const recordOwner = () =>
      lock.update({ sqldUrl: `http://${sqldAddress}`, gatewayUrl, children: [sqld.pid, workerd.pid, caddy?.pid].filter((p): p is number => !!p) });
    recordOwner();

    let stopping = false;
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((r) => (resolveStopped = r));

    const stop = async (): Promise<void> => {
      if (stopping) return stopped;
      stopping = true;
      for (const c of cleanups) await c();
      // Front to back: Caddy, then workerd, then the store.
      if (caddy) await caddy.stop();
      await workerd.stop();
      await sqld.stop();
      lock.release();
      resolveStopped();
    };

    // Keep sqld and workerd up: while one is down the gateway answers 503s, and
    // service resumes once it is back. A child that keeps dying stops the stack.
    const restarts: number[] = [];
    const supervise = (get: () => Child, restart: () => Promise<Child>, set: (c: Child) => void) => {
      void get().exited.then(async (info) => {
        if (stopping || options.restart === false) return;
        log(`[up] ${get().name} exited unexpectedly (${info.signal ?? `code ${info.code}`}); restarting in ${RESTART_DELAY_MS} ms`);
        const now = Date.now();
        restarts.push(now);
        while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
        if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
          log(`[up] giving up: more than ${MAX_RESTARTS_PER_MINUTE} restarts in a minute`);
          await stop();
          return;
        }
        await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
        if (stopping) return;
        try {
          const next = await restart();
          set(next);
          recordOwner();
          log(`[up] ${next.name} is back`);
          supervise(get, restart, set);
        } catch (err) {
          log(`[up] ${(err as Error).message}`);
          await stop();
        }
      });
    };
    supervise(() => sqld, () => startSqld({ dbPath: paths.sqld, host: '127.0.0.1', port: sqldPort, log }), (c) => (sqld = c));
    supervise(() => workerd, () => startWorkerd(workerdOptions), (c) => (workerd = c));

    return {
      origin,
      gatewayUrl,
      sqldUrl: `http://${sqldAddress}`,
      port,
      sqldPort,
      paths,
      keysCreated: created,
      children: () => ({ sqld, workerd, ...(caddy ? { caddy } : {}) }),
      stopped,
      stop,
    };
  } catch (err) {
    for (const c of cleanups) await c();
    for (const child of started.reverse()) await child.stop();
    lock.release();
    throw err;
  }
}

