/** The store as seen from a worker: drizzle over the `SQLD` external-service binding. */
import { openDb, type Db } from '../db.ts';

/**
 * A client for the current request. Never share one across requests: the libSQL
 * client queues calls behind a concurrency limit, and in workerd a promise that
 * one request waits on cannot be resolved by another request's I/O — under load
 * a shared client hangs requests (measured: 50 concurrent connections → 500s
 * "code had hung").
 */
export function dbFor(env: { SQLD: Fetcher }, options: { keepStreams?: number } = {}): Db {
  // Made on first use: most requests of a busy wiki are answered from the isolate's caches and
  // never query (making a client and its drizzle wrapper was a fifth of a cached page view's work).
  let db: Db | undefined;
  const real = () => (db ??= openDb({ url: 'http://sqld.internal', binding: env.SQLD, ...options }).db);
  return new Proxy({} as Db, {
    get(_, name) {
      const value = Reflect.get(real(), name) as unknown;
      return typeof value === 'function' ? value.bind(real()) : value;
    },
  });
}
