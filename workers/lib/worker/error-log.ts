/**
 * Unexpected errors (answered with a bare 500) are kept in the store's
 * `error_log` for the platform admin page. Recording happens after the
 * response (waitUntil) and can never fail it: a failed insert is only logged.
 *
 * The insert speaks sqld's HTTP pipeline protocol (Hrana over HTTP, the one
 * `@libsql/client/web` uses) directly: every worker's app imports this, and
 * the gateway and mcp workers, which have no store, should not carry the
 * database client in their bundles.
 */

/** Longest stored text per field: enough to diagnose, small enough to keep a bounded table. */
export const ERROR_FIELD_MAX = { worker: 40, requestId: 100, method: 16, url: 1000, message: 2000 } as const;
/** Rows kept; each insert drops older ones (errors are rare; the delete is one range on the primary key). */
export const ERROR_LOG_KEEP = 1000;

export interface ErrorRecord {
  worker: string;
  requestId: string | null;
  method: string | null;
  url: string | null;
  message: string;
}

/** The part of the `SQLD` binding (or of a test's fetch) the insert needs. */
export interface SqldFetcher {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

function clip(text: string | null, max: number): string | null {
  if (text === null) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What to store of a thrown value: its stack when it has one (the first line is the message). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack || `${err.name}: ${err.message}`;
  try {
    return `non-error thrown: ${typeof err === 'string' ? err : JSON.stringify(err)}`;
  } catch {
    return `non-error thrown: ${String(err)}`;
  }
}

/** `record` with every field cut to its maximum. */
export function clipRecord(record: ErrorRecord): ErrorRecord {
  return {
    worker: clip(record.worker, ERROR_FIELD_MAX.worker) ?? '',
    requestId: clip(record.requestId, ERROR_FIELD_MAX.requestId),
    method: clip(record.method, ERROR_FIELD_MAX.method),
    url: clip(record.url, ERROR_FIELD_MAX.url),
    message: clip(record.message, ERROR_FIELD_MAX.message) ?? '',
  };
}

type HranaValue = { type: 'text'; value: string } | { type: 'integer'; value: string } | { type: 'null' };

function value(v: string | number | null): HranaValue {
  if (v === null) return { type: 'null' };
  return typeof v === 'number' ? { type: 'integer', value: String(Math.trunc(v)) } : { type: 'text', value: v };
}

/** Inserts one error and drops rows beyond the newest ERROR_LOG_KEEP, in one round trip. */
export async function insertError(sqld: SqldFetcher, record: ErrorRecord, at = Date.now()): Promise<void> {
  const r = clipRecord(record);
  const statements = [
    {
      sql: 'insert into error_log (at, worker, request_id, method, url, message) values (?, ?, ?, ?, ?, ?)',
      args: [at, r.worker, r.requestId, r.method, r.url, r.message].map(value),
    },
    { sql: 'delete from error_log where id <= (select max(id) from error_log) - ?', args: [value(ERROR_LOG_KEEP)] },
  ];
  const body = { requests: [...statements.map((stmt) => ({ type: 'execute', stmt })), { type: 'close' }] };
  const res = await sqld.fetch('http://sqld.internal/v2/pipeline', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sqld answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const answer = (await res.json()) as { results?: { type: string; error?: { message?: string } }[] };
  const failed = answer.results?.find((x) => x.type !== 'ok');
  if (!answer.results || failed) throw new Error(`sqld refused the error log insert: ${failed?.error?.message ?? 'no results'}`);
}
