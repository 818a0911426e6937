/**
 * Opens the relational store: drizzle over libSQL's HTTP client. In a worker the
 * client's fetch goes through the `SQLD` external-service binding, so the worker
 * needs no network permission; in Node (the admin CLI, tests) it is a plain URL.
 */
import { createClient, type Client, type InArgs, type InStatement } from '@libsql/client/web';
import type { BatchItem } from 'drizzle-orm/batch';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { drizzle } from 'drizzle-orm/libsql/web';
import { StreamPool } from './sqld-streams.ts';

/**
 * The store through drizzle's query builder. No relational-query schema is
 * attached: building its metadata cost ~10% of a wiki request's CPU, and
 * nothing uses `db.query`.
 */
export type Db = LibSQLDatabase;

/** One statement of a batch, as drizzle's builders make it. */
export type Statement = BatchItem<'sqlite'>;

/** The part of a service binding (or of global fetch) the client needs. */
export interface FetchBinding {
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}

export interface OpenDbOptions {
  /** `http://host:port` of sqld; any host when `binding` routes the request. */
  url: string;
  binding?: FetchBinding;
  /**
   * How many of sqld's streams this isolate keeps open between requests
   * (see sqld-streams.ts); none when unset. Every client of the isolate
   * opened with it shares them.
   */
  keepStreams?: number;
}

const BUSY_RETRIES = 6;

/**
 * sqld answers 429 when more requests are in flight than it admits
 * (--max-concurrent-requests). That is back-pressure, not failure: retry a
 * few times with jittered backoff before giving up (then it is a 503).
 */
function retryWhenBusy(send: (request: Request) => Promise<Response>): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = new Request(input, init);
    for (let attempt = 0; ; attempt++) {
      const response = await send(attempt < BUSY_RETRIES ? request.clone() : request);
      if (response.status !== 429 || attempt >= BUSY_RETRIES) return response;
      await response.body?.cancel();
      await new Promise((r) => setTimeout(r, 5 * 2 ** attempt + Math.random() * 10));
    }
  };
}

/** True for SQLite's "database is locked" (SQLITE_BUSY), however the client wraps it. */
export function isSqliteBusy(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (/SQLITE_BUSY|database is locked/.test(`${(e as { code?: string }).code ?? ''} ${(e as Error).message ?? ''}`)) return true;
  }
  return false;
}

/**
 * sqld queues writers, but a writer can still be refused with SQLITE_BUSY
 * while another connection inserts into a libSQL vector index (measured with
 * sqld 0.24.32: about 1 in 50 concurrent writes during continuous index
 * inserts, at the transaction's first statement). A refused batch or
 * statement changed nothing (a batch is one transaction), so it is sent
 * again after a short jittered wait, a few times, before the error stands.
 */
function retryOnSqliteBusy(client: Client): Client {
  const again = <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await call(...args);
        } catch (err) {
          if (attempt >= BUSY_RETRIES || !isSqliteBusy(err)) throw err;
          await new Promise((r) => setTimeout(r, 5 * 2 ** attempt + Math.random() * 10));
        }
      }
    };
  client.batch = again(client.batch.bind(client)) as Client['batch'];
  client.execute = again(client.execute.bind(client)) as Client['execute'];
  return client;
}

/** Statements per request when a large write is sent in parts (see `runBatch`). */
export const BATCH_PART = 500;

/**
 * Runs `statements` as one transaction: all or nothing (nothing to do for none).
 * Up to `part` go as one batch request. More (an imported history: thousands
 * of statements and megabytes of page text) go through an interactive
 * transaction, `part` at a time, so no single request body holds them all:
 * workerd and sqld each kept 20–30 MiB of such a body's memory after a
 * 2,000-commit import, and neither gives memory back.
 */
export async function runBatch(db: Db, statements: readonly Statement[], part = BATCH_PART): Promise<void> {
  if (statements.length === 0) return;
  if (statements.length <= part) {
    await db.batch(statements as unknown as [Statement, ...Statement[]]);
    return;
  }
  const client = (db as Db & { $client: Client }).$client;
  for (let attempt = 0; ; attempt++) {
    const tx = await client.transaction('write');
    try {
      // Each part is built as it is sent, so the worker never holds all of them built either.
      for (let at = 0; at < statements.length; at += part) await tx.batch(statements.slice(at, at + part).map(toInStatement));
      await tx.commit();
      return;
    } catch (err) {
      // Rolled back and the write lock let go at once (commit closes the transaction itself).
      tx.close();
      // Only taking the write lock can be refused as busy, so a retry repeats nothing that was applied.
      if (attempt >= BUSY_RETRIES || !isSqliteBusy(err)) throw err;
    }
    await new Promise((r) => setTimeout(r, 5 * 2 ** attempt + Math.random() * 10));
  }
}

/** The SQL and arguments of a drizzle statement, built as drizzle's own `batch` builds them. */
function toInStatement(statement: Statement): InStatement {
  const built = (statement as unknown as { _prepare(): { getQuery(): { sql: string; params: unknown[] } } })._prepare().getQuery();
  return { sql: built.sql, args: built.params as InArgs };
}

/** The kept streams of this isolate (or process), per sqld address. */
const streamPools = new Map<string, StreamPool>();

export function openDb(options: OpenDbOptions): { db: Db; client: Client } {
  const binding = options.binding;
  const send = binding ? (r: Request) => binding.fetch(r) : (r: Request) => fetch(r);
  let pool: StreamPool | undefined;
  if (options.keepStreams) {
    pool = streamPools.get(options.url);
    if (!pool) streamPools.set(options.url, (pool = new StreamPool(options.keepStreams)));
  }
  const client = retryOnSqliteBusy(createClient({ url: options.url, fetch: retryWhenBusy(pool ? pool.wrap(send) : send) }));
  return { db: drizzle({ client }), client };
}

/**
 * True when an error means sqld could not serve the query (down, restarting,
 * overloaded), as opposed to a bad query: such errors become 503s, never 500s.
 */
export function isDbUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const text = `${(e as { code?: string }).code ?? ''} ${(e as Error).message ?? ''}`;
    if (/ECONNREFUSED|ECONNRESET|connect(ion)? (refused|reset|lost)|Network connection lost|fetch failed|socket hang up|HRANA_.*(CLOSED|NETWORK)|SERVER_ERROR.*(429|50[234])/i.test(text)) {
      return true;
    }
  }
  return false;
}
