/** The store as seen from a worker: drizzle over the `SQLD` external-service binding. */
import { openDb, type Db } from '../db.ts';

/**
 * A client for the current request. Never share one across requests: the libSQL
 * client queues calls behind a concurrency limit, and in workerd a promise that
 * one request waits on cannot be resolved by another request's I/O — under load
 * a shared client hangs requests (measured: 50 concurrent connections → 500s
 * "code had hung"). A client is a few small objects; making one is cheap.
 */
export function dbFor(env: { SQLD: Fetcher }): Db {
  return openDb({ url: 'http://sqld.internal', binding: env.SQLD }).db;
}
