/**
 * Opens the relational store: drizzle over libSQL's HTTP client. In a worker the
 * client's fetch goes through the `SQLD` external-service binding, so the worker
 * needs no network permission; in Node (the admin CLI, tests) it is a plain URL.
 */
import { createClient, type Client } from '@libsql/client/web';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from '../../db/schema.ts';

export type Db = LibSQLDatabase<typeof schema>;

/** The part of a service binding (or of global fetch) the client needs. */
export interface FetchBinding {
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}

export interface OpenDbOptions {
  /** `http://host:port` of sqld; any host when `binding` routes the request. */
  url: string;
  binding?: FetchBinding;
}

export function openDb(options: OpenDbOptions): { db: Db; client: Client } {
  const binding = options.binding;
  const client = createClient({
    url: options.url,
    ...(binding ? { fetch: (input: Request | string | URL, init?: RequestInit) => binding.fetch(input, init) } : {}),
  });
  return { db: drizzle({ client, schema }), client };
}

/**
 * True when an error means sqld could not be reached (down, restarting), as
 * opposed to a bad query: such errors become 503s, never 500s.
 */
export function isDbUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const text = `${(e as { code?: string }).code ?? ''} ${(e as Error).message ?? ''}`;
    if (/ECONNREFUSED|ECONNRESET|connect(ion)? (refused|reset|lost)|Network connection lost|fetch failed|socket hang up|HRANA_.*(CLOSED|NETWORK)|SERVER_ERROR.*50[23]/i.test(text)) {
      return true;
    }
  }
  return false;
}
