/**
 * Starts the whole stack — sqld, migrations, workerd, optionally Caddy — on a
 * data directory, keeps it up, and stops it leaving no process behind. Used by
 * the start command, the test suite and the benchmarks alike.
 */
import path from 'node:path';
import { openDb } from '../../workers/lib/db.ts';
import { buildWorkers, watchWorkers } from './build.ts';
import { startCaddy } from './caddy.ts';
import type { Child, LogSink } from './child.ts';
import { prepareDataDir, type DataPaths } from './data-dir.ts';
import { loadOrCreateKeys } from './keys.ts';
import { DataDirLock } from './lock.ts';
import { migrateStore } from './migrate.ts';
import { claimPort } from './ports.ts';
import { defaultOrigin, type Settings } from './settings.ts';
import { startSemanticTicker } from './semantic-ticker.ts';
import { startSqld } from './sqld.ts';
import { startWorkerd } from './workerd.ts';

export interface StackOptions {
  settings: Settings;
  log: LogSink;
  /** Rebuild on source changes and let workerd reload (development). */
  watch?: boolean;
  /** Skip the esbuild step (the caller built already). */
  skipBuild?: boolean;
}

export interface Stack {
  /** Where people reach the apex, e.g. http://wiki.localhost:8787. */
  origin: string;
  /** The gateway's public socket on loopback, e.g. http://127.0.0.1:8787. */
  gatewayUrl: string;
  /** The gateway's internal socket: detailed health, Caddy's TLS question. */
  internalUrl: string;
  /** The wiki worker's socket on loopback, where Caddy sends wiki hosts (the gateway serves them too). */
  wikiUrl: string;
  sqldUrl: string;
  port: number;
  wikiPort: number;
  paths: DataPaths;
  keysCreated: string[];
  children(): { sqld: Child; workerd: Child; caddy?: Child };
  /** Resolves when the stack has stopped for good (stop(), or a child that keeps dying). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

const RESTART_DELAY_MS = 1000;
const MAX_RESTARTS_PER_MINUTE = 5;

/** Proves a fixed port is free before anything starts, for a clear message; 0 is left to the server. */
async function checkPort(host: string, port: number): Promise<void> {
  if (port !== 0) await claimPort(host, port);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const s = options.settings;
  const log = options.log;
  const paths = prepareDataDir(s.dataDir);
  const lock = DataDirLock.acquire(paths.run, 'stack');
  const running: Child[] = [];
  const cleanups: (() => Promise<unknown> | void)[] = [];
  const stopAll = async () => {
    for (const c of cleanups.splice(0)) await c();
    for (const child of running.splice(0).reverse()) await child.stop();
  };
  try {
    const { keys, created } = await loadOrCreateKeys(paths.keys);
    if (created.length) log(`[up] generated ${created.join(', ')} in ${paths.keys}`);
    if (!options.skipBuild) await buildWorkers();
    await checkPort(s.host, s.port);
    await checkPort('127.0.0.1', s.internalPort);
    await checkPort('127.0.0.1', s.wikiPort);

    const sqldStart = await startSqld({ dbPath: paths.sqld, host: '127.0.0.1', port: s.sqldPort, log });
    let sqld = sqldStart.child;
    running.push(sqld);
    const { db, client } = openDb({ url: sqldStart.url });
    const migration = await migrateStore(db).finally(() => client.close());
    if (migration.applied) log(`[up] applied ${migration.applied} of ${migration.total} schema migrations`);

    const workerdOptions = {
      host: s.host, port: s.port, internalPort: s.internalPort, wikiPort: s.wikiPort, sqldAddress: `127.0.0.1:${sqldStart.port}`,
      gitDir: paths.git, apex: s.apex, publicOrigin: (port: number) => s.publicOrigin || defaultOrigin(s, port), keys, atproto: s.atproto, writesPerMinute: s.writesPerMinute, embeddings: s.embeddings, watch: !!options.watch, log,
    };
    const first = await startWorkerd(workerdOptions);
    // Restarts come back on the same ports, with the same origin.
    Object.assign(workerdOptions, { port: first.port, internalPort: first.internalPort, wikiPort: first.wikiPort });
    const origin = first.origin;
    let workerd = first.child;
    running.push(workerd);

    let caddy: Child | undefined;
    if (s.caddy === 'local') {
      caddy = await startCaddy({ apex: s.apex, upstream: `127.0.0.1:${first.port}`, wikiUpstream: `127.0.0.1:${first.wikiPort}`, httpsPort: s.caddyHttpsPort, httpPort: s.caddyHttpPort, storage: path.join(paths.root, 'caddy'), log });
      running.push(caddy);
    }
    if (options.watch) {
      const ctx = await watchWorkers((ok, ms) => log(ok ? `[watch] rebuilt in ${ms} ms; workerd reloads` : '[watch] build failed; keeping the last good bundles'));
      cleanups.push(() => ctx.dispose());
    }

    const gatewayUrl = `http://127.0.0.1:${first.port}`;
    const internalUrl = `http://127.0.0.1:${first.internalPort}`;
    const wikiUrl = `http://127.0.0.1:${first.wikiPort}`;
    if (s.embeddings) {
      const ticker = startSemanticTicker(() => internalUrl, { log });
      cleanups.push(() => ticker.stop());
    }
    const recordOwner = () => lock.update({ sqldUrl: sqldStart.url, gatewayUrl, internalUrl, children: running.map((c) => c.pid).filter((p): p is number => !!p) });
    recordOwner();

    let stopping = false;
    let restarting: Promise<unknown> = Promise.resolve();
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((r) => (resolveStopped = r));
    const stop = async (): Promise<void> => {
      if (stopping) return stopped;
      stopping = true;
      await restarting; // a child being restarted now is stopped with the rest
      await stopAll(); // Caddy, then workerd, then the store
      lock.release();
      resolveStopped();
    };

    // Keep sqld and workerd up: while one is down the gateway answers 503s, and
    // service resumes once it is back. A child that keeps dying stops the stack.
    const restarts: number[] = [];
    const supervise = (get: () => Child, restart: () => Promise<Child>, set: (c: Child) => void) => {
      void get().exited.then(async (info) => {
        if (stopping) return;
        const dead = get();
        log(`[up] ${dead.name} exited unexpectedly (${info.signal ?? `code ${info.code}`}); restarting in ${RESTART_DELAY_MS} ms`);
        const now = Date.now();
        restarts.push(now);
        while (restarts[0]! < now - 60_000) restarts.shift();
        if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
          log(`[up] giving up: more than ${MAX_RESTARTS_PER_MINUTE} restarts in a minute`);
          return void stop();
        }
        const attempt = (async () => {
          await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
          if (stopping) return;
          const next = await restart();
          running[running.indexOf(dead)] = next;
          set(next);
          recordOwner();
          log(`[up] ${next.name} is back`);
          supervise(get, restart, set);
        })();
        restarting = attempt.catch(() => {});
        try {
          await attempt;
        } catch (err) {
          log(`[up] ${(err as Error).message}`);
          void stop();
        }
      });
    };
    supervise(() => sqld, async () => (await startSqld({ dbPath: paths.sqld, host: '127.0.0.1', port: sqldStart.port, log })).child, (c) => (sqld = c));
    supervise(() => workerd, async () => (await startWorkerd(workerdOptions)).child, (c) => (workerd = c));

    return {
      origin,
      gatewayUrl,
      internalUrl,
      wikiUrl,
      sqldUrl: sqldStart.url,
      port: first.port,
      wikiPort: first.wikiPort,
      paths,
      keysCreated: created,
      children: () => ({ sqld, workerd, ...(caddy ? { caddy } : {}) }),
      stopped,
      stop,
    };
  } catch (err) {
    await stopAll();
    lock.release();
    throw err;
  }
}
