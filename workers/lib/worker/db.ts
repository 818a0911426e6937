/** The store as seen from a worker: drizzle over the `SQLD` external-service binding. */
import { openDb, type Db } from '../db.ts';

const cache = new WeakMap<Fetcher, Db>();

/** One client per binding per isolate (the binding object is stable for the isolate's life). */
export function dbFor(env: { SQLD: Fetcher }): Db {
  let db = cache.get(env.SQLD);
  if (!db) {
    db = openDb({ url: 'http://sqld.internal', binding: env.SQLD }).db;
    cache.set(env.SQLD, db);
  }
  return db;
}
