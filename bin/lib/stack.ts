/**
 * Starts the whole stack — sqld, migrations, workerd, optionally Caddy — on a
 * data directory, keeps it up, and stops it leaving no process behind. Used by
 * the start command, the test suite and the benchmarks alike.
 */
import path from 'node:path';
import { openDb } from '../../workers/lib/db.ts';
import { upgradeIndexes } from './upgrade-indexes.ts';
import { buildWorkers, watchWorkers } from './build.ts';
import { startCaddy } from './caddy.ts';
import type { Child, LogSink } from './child.ts';
import { prepareDataDir, type DataPaths } from './data-dir.ts';
import { loadOrCreateKeys } from './keys.ts';
import { DataDirLock } from './lock.ts';
import { Listeners } from './listeners.ts';
import { migrateStore } from './migrate.ts';
import { watchMemory } from './recycle.ts';
import { defaultOrigin, type Settings } from './settings.ts';
import { startSemanticTicker } from './semantic-ticker.ts';
import { startSqld } from './sqld.ts';
import { configFile, startWorkerd } from './workerd.ts';

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
/** How long a replaced workerd may take to finish its requests (a large clone) before it is killed. */
const DRAIN_MS = 60_000;
const MAX_RESTARTS_PER_MINUTE = 5;

export async function startStack(options: StackOptions): Promise<Stack> {
  const s = options.settings;
  const log = options.log;
  const paths = prepareDataDir(s.dataDir);
  const lock = DataDirLock.acquire(paths.run, 'stack');
  const running: Child[] = [];
  const cleanups: (() => Promise<unknown> | void)[] = [];
  let listeners: Listeners | undefined;
  /** A replaced workerd finishing its requests, if any. */
  let draining: Child | undefined;
  const stopAll = async () => {
    for (const c of cleanups.splice(0)) await c();
    const drained = draining?.stop(); // a replaced workerd still finishing gets the usual grace, not its drain time
    for (const child of running.splice(0).reverse()) await child.stop();
    await drained;
    listeners?.close();
  };
  try {
    const { keys, created } = await loadOrCreateKeys(paths.keys);
    if (created.length) log(`[up] generated ${created.join(', ')} in ${paths.keys}`);
    if (!options.skipBuild) await buildWorkers();
    // workerd's sockets, held by the stack: a workerd that restarts or is replaced hands over on them.
    listeners = await Listeners.open([
      { name: 'http', host: s.host, port: s.port },
      { name: 'internal', host: '127.0.0.1', port: s.internalPort },
      { name: 'wiki', host: '127.0.0.1', port: s.wikiPort },
    ]);
    const port = listeners.get('http').port;
    const wikiPort = listeners.get('wiki').port;
    const origin = s.publicOrigin || defaultOrigin(s, port);

    const sqldStart = await startSqld({ dbPath: paths.sqld, host: '127.0.0.1', port: s.sqldPort, log });
    let sqld = sqldStart.child;
    running.push(sqld);
    const { db, client } = openDb({ url: sqldStart.url });
    try {
      const migration = await migrateStore(db);
      if (migration.applied) log(`[up] applied ${migration.applied} of ${migration.total} schema migrations`);
      // Before workerd serves: no reader sees an index half rebuilt.
      await upgradeIndexes(db, paths.git, log);
    } finally {
      client.close();
    }

    const workerdOptions = {
      listeners, sqldAddress: `127.0.0.1:${sqldStart.port}`,
      // Pinned: every workerd of this stack runs the workers it started with (not in watch mode, which reloads them).
      config: configFile(s.atproto, s.embeddings, options.watch ? undefined : path.join(paths.run, 'workerd')),
      gitDir: paths.git, apex: s.apex, publicOrigin: origin, keys, atproto: s.atproto, writesPerMinute: s.writesPerMinute, embeddings: s.embeddings, watch: !!options.watch, log,
    };
    let workerd = await startWorkerd(workerdOptions);
    running.push(workerd);

    let caddy: Child | undefined;
    if (s.caddy === 'local') {
      caddy = await startCaddy({ apex: s.apex, upstream: `127.0.0.1:${port}`, wikiUpstream: `127.0.0.1:${wikiPort}`, httpsPort: s.caddyHttpsPort, httpPort: s.caddyHttpPort, storage: path.join(paths.root, 'caddy'), log });
      running.push(caddy);
    }
    if (options.watch) {
      const ctx = await watchWorkers((ok, ms) => log(ok ? `[watch] rebuilt in ${ms} ms; workerd reloads` : '[watch] build failed; keeping the last good bundles'));
      cleanups.push(() => ctx.dispose());
    }

    const gatewayUrl = `http://127.0.0.1:${port}`;
    const internalUrl = `http://127.0.0.1:${listeners.get('internal').port}`;
    const wikiUrl = `http://127.0.0.1:${wikiPort}`;
    if (s.embeddings) {
      const ticker = startSemanticTicker(() => internalUrl, { log });
      cleanups.push(() => ticker.stop());
    }
    const recordOwner = () => lock.update({ sqldUrl: sqldStart.url, gatewayUrl, internalUrl, children: [...running, ...(draining?.alive ? [draining] : [])].map((c) => c.pid).filter((p): p is number => !!p) });
    /** Puts `next` where `old` was in the running list. */
    const replaceRunning = (old: Child, next: Child) => {
      const at = running.indexOf(old);
      if (at >= 0) running[at] = next;
      else running.push(next);
    };
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
      const dead = get();
      void dead.exited.then(async (info) => {
        if (stopping || get() !== dead) return; // stopped, or replaced on purpose (recycled)
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
          if (stopping || get() !== dead) return; // stopped, or a successor took over meanwhile
          const next = await restart();
          if (stopping || get() !== dead) return void (await next.stop());
          replaceRunning(dead, next);
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
    const superviseWorkerd = () => supervise(() => workerd, () => startWorkerd(workerdOptions), (c) => (workerd = c));
    superviseWorkerd();

    // Give memory back after bursts: a successor takes over the sockets, the old workerd drains and exits.
    if (s.recycle.rssMiB > 0 && !options.watch) {
      const recycle = async (rssMiB: number) => {
        const old = workerd;
        const attempt = (async () => {
          const next = await startWorkerd(workerdOptions);
          // Stopped, or restarted after a crash meanwhile. (Had the old one just died, the successor
          // takes its place and the pending crash restart stands down.)
          if (stopping || workerd !== old) return void (await next.stop());
          replaceRunning(old, next);
          workerd = next;
          draining = old;
          recordOwner();
          superviseWorkerd();
          log(`[up] workerd recycled: it held ${rssMiB.toFixed(0)} MiB after ${s.recycle.idleMs / 1000} s idle`);
          void old.stop(DRAIN_MS).then(() => {
            if (draining === old) draining = undefined;
            if (!stopping) recordOwner();
          });
        })();
        restarting = attempt.catch(() => {});
        await attempt.catch((err: Error) => log(`[up] recycling workerd failed, keeping the running one: ${err.message}`));
      };
      // Connections to the public and wiki sockets (the internal one only answers short questions).
      const watch = watchMemory({ pid: () => workerd.pid, ports: [port, wikiPort], policy: s.recycle, recycle });
      cleanups.push(() => watch.stop());
    }

    return {
      origin,
      gatewayUrl,
      internalUrl,
      wikiUrl,
      sqldUrl: sqldStart.url,
      port,
      wikiPort,
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
