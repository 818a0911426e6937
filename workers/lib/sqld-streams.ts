/**
 * Keeps a few of sqld's streams open between requests. The libSQL client
 * opens a stream (one SQLite connection in sqld) for every statement or
 * batch and closes it in the same request; opening one costs sqld more than
 * a one-row query does, because a new connection parses the whole schema and
 * starts with a cold page cache (measured on this schema: 1.35 ms of sqld's
 * CPU per request on a new stream, 0.5 ms on a kept one).
 *
 * `StreamPool.wrap` sits between the client and its fetch. A pipeline that
 * would open and close a stream (no baton, last request `close`) is sent on
 * a kept stream instead (its baton), without the close, and its answer is
 * handed to the client as if the stream had been closed. The stream is kept
 * only when it is clean: every result ok, the SQL ids the request stored
 * closed again, no transaction left open (`get_autocommit`); otherwise it is
 * closed at once. Everything else (interactive transactions) passes through.
 *
 * sqld counts an idle kept stream against `--max-concurrent-connections`
 * (a request over the limit waits 1 s, then is refused), so the pool never
 * holds more than its size, and sqld's limit leaves room for it
 * (bin/lib/sqld.ts). A kept stream that sqld has let go (it expires streams
 * unused for some 10 s; or sqld restarted) is refused before anything runs,
 * so the request is then sent again as the client made it.
 *
 * A kept connection carries its state from one request to the next, so
 * requests that change it (PRAGMA, ATTACH, temporary objects) are sent as
 * they were made; `last_insert_rowid()` and `changes()` are only to be read
 * in the request that set them (as the store's code does).
 */

/** How the client sends a request (a service binding's or the global fetch). */
export type Send = (request: Request) => Promise<Response>;

/**
 * Streams the wiki worker keeps: its requests are most of the store's
 * traffic. sqld's connection limit is raised by this (bin/lib/sqld.ts). Few,
 * because every connection sqld holds at once costs it memory it keeps
 * (raising its limit by 8 left it 7 MiB larger after the bench).
 */
export const WIKI_WORKER_STREAMS = 2;

/**
 * A stream in use for longer than this is taken to be lost with its request
 * (workerd drops a request's pending work when its client goes away), and
 * its place is given back; sqld will have expired the stream itself by then.
 */
const LEASE_MS = 30_000;
/** A kept stream unused for longer is let go: sqld expires streams after some 10 s, and a request on an expired one only costs a round trip. */
const IDLE_MS = 8_000;
/** SQL that changes a connection's own state, which a kept stream would carry to the next request. */
const CONNECTION_STATE = /\b(pragma|attach|detach|temp|temporary)\b/i;

/** The client speaks hrana 2 (`/v2/pipeline`); kept streams are used through hrana 3's path, which has `get_autocommit` and answers in the same form. */
const PIPELINE = /\/v[23]\/pipeline$/;
/** sqld's answer when a baton is not (or no longer) one of its streams. */
const UNKNOWN_STREAM = /invalid baton|STREAM_EXPIRED|stream (has )?(expired|closed)/i;
const CLOSE_RESULT = '{"type":"ok","response":{"type":"close"}}';
const CLOSE_SQL_RESULT = '{"type":"ok","response":{"type":"close_sql"}}';
const CLEAN_END = '{"type":"ok","response":{"type":"get_autocommit","is_autocommit":true}}';
/** The start of sqld's answer: the next baton, no base URL (one sqld, not a cluster), then the results. */
const ANSWER_HEAD = /^\{"baton":"([^"\\]+)","base_url":null,"results":\[/;

/** One stream request of a pipeline body. */
interface StreamRequest {
  type: string;
  sql_id?: number;
  sql?: string;
  stmt?: { sql?: string };
  batch?: { steps?: { stmt?: { sql?: string } }[] };
}

/** Every SQL text a stream request carries. */
function sqlOf(request: StreamRequest): string[] {
  return [request.sql, request.stmt?.sql, ...(request.batch?.steps ?? []).map((step) => step.stmt?.sql)].filter((t): t is string => typeof t === 'string');
}

interface PipelineBody {
  baton?: string | null;
  requests: StreamRequest[];
}

/** A place in the pool taken by a request: the kept stream's baton, or null to open one. */
interface Lease {
  baton: string | null;
  since: number;
}

/** A kept stream no request is using. */
interface IdleStream {
  baton: string;
  since: number;
}

export class StreamPool {
  readonly #size: number;
  readonly #now: () => number;
  /** Kept streams no request is using, most recently used last. */
  readonly #idle: IdleStream[] = [];
  /** Places taken by requests now. */
  readonly #leases = new Set<Lease>();

  constructor(size: number, now: () => number = Date.now) {
    this.#size = size;
    this.#now = now;
  }

  /** Streams this pool holds now (idle or in use). */
  get held(): number {
    return this.#idle.length + this.#leases.size;
  }

  /** `send`, with requests that would open and close a stream sent on a kept one. */
  wrap(send: Send): Send {
    return async (request) => {
      if (request.method !== 'POST' || !PIPELINE.test(new URL(request.url).pathname)) return send(request);
      const text = await request.text();
      const asSent = () => send(new Request(request, { body: text }));
      const body = parsePipeline(text);
      if (!body || (body.baton ?? null) !== null || body.requests.at(-1)?.type !== 'close' || body.requests.slice(0, -1).some((r) => r.type === 'close')) return asSent();
      if (body.requests.some((r) => sqlOf(r).some((sql) => CONNECTION_STATE.test(sql)))) return asSent();
      const target = new URL(request.url);
      target.pathname = target.pathname.replace(PIPELINE, '/v3/pipeline');
      const onStream = (baton: string | null, requests: object[]) => {
        const headers = new Headers(request.headers);
        headers.delete('content-length');
        return send(new Request(target, { method: 'POST', headers, body: JSON.stringify({ baton, requests }) }));
      };
      const lease = this.#take((stale) => void onStream(stale, [{ type: 'close' }]).then((r) => r.body?.cancel(), () => {}));
      if (!lease) return asSent();
      const own = body.requests.slice(0, -1);
      // SQL ids the request leaves stored (in order: an id may be stored, closed and stored again) are closed after it.
      const stored = new Set<number | undefined>();
      for (const r of own) {
        if (r.type === 'store_sql') stored.add(r.sql_id);
        else if (r.type === 'close_sql') stored.delete(r.sql_id);
      }
      const cleanup = [...stored].map((id) => ({ type: 'close_sql', sql_id: id }));
      let kept: string | null = null;
      try {
        const response = await onStream(lease.baton, [...own, ...cleanup, { type: 'get_autocommit' }]);
        if (response.status !== 200) {
          const detail = await response.text();
          if (lease.baton !== null) {
            // sqld refused the baton before running anything: send the request as the client made it.
            if ((response.status === 400 || response.status === 500) && UNKNOWN_STREAM.test(detail)) return await asSent();
            // Busy: refused before the stream was used, which stays open and is kept.
            if (response.status === 429) kept = lease.baton;
          }
          return new Response(detail, { status: response.status, statusText: response.statusText, headers: response.headers });
        }
        const answer = answerForClient(await response.text(), own.length, cleanup.length);
        if (answer.clean) kept = answer.baton;
        else if (answer.baton !== null) await onStream(answer.baton, [{ type: 'close' }]).then((r) => r.body?.cancel(), () => {});
        return new Response(answer.forClient, { status: 200, headers: { 'content-type': 'application/json' } });
      } finally {
        // A lease given back after LEASE_MS no longer has a place: its stream is closed, not kept.
        const ours = this.#leases.delete(lease);
        if (kept !== null) {
          if (ours && this.held < this.#size) this.#idle.push({ baton: kept, since: this.#now() });
          else await onStream(kept, [{ type: 'close' }]).then((r) => r.body?.cancel(), () => {});
        }
      }
    };
  }

  /**
   * A place for a request: a kept stream, a new one, or none when the pool
   * is full. Kept streams idle for longer than IDLE_MS are let go (`close`).
   */
  #take(close: (baton: string) => void): Lease | undefined {
    const now = this.#now();
    for (const lease of this.#leases) if (now - lease.since > LEASE_MS) this.#leases.delete(lease);
    // Oldest first: once one is fresh, so are the rest.
    while (this.#idle.length > 0 && now - this.#idle[0]!.since > IDLE_MS) close(this.#idle.shift()!.baton);
    const idle = this.#idle.pop();
    if (idle === undefined && this.#leases.size >= this.#size) return undefined;
    const lease = { baton: idle?.baton ?? null, since: now };
    this.#leases.add(lease);
    return lease;
  }
}

function parsePipeline(text: string): PipelineBody | null {
  try {
    const body = JSON.parse(text) as PipelineBody;
    return Array.isArray(body?.requests) ? body : null;
  } catch {
    return null;
  }
}

/** sqld's answer to a pooled request, taken apart. */
export interface PooledAnswer {
  /** The stream's next baton (null when the answer had none). */
  baton: string | null;
  /** Whether the stream may be used again: every result ok, no transaction open. */
  clean: boolean;
  /** The answer as the client expects it after a close: its own results and a close result, no baton. */
  forClient: string;
}

/**
 * Takes apart sqld's answer to a pooled request of `own` requests of the
 * client's, `cleanup` close_sql and a get_autocommit. Usually cut from the
 * text (an answer may hold a large result set); a form this does not expect
 * is parsed instead, and the stream then counts as not clean.
 */
export function answerForClient(answer: string, own: number, cleanup: number): PooledAnswer {
  const extras = [...Array<string>(cleanup).fill(CLOSE_SQL_RESULT), CLEAN_END].join(',');
  const tail = `${own > 0 ? ',' : ''}${extras}]}`;
  const head = ANSWER_HEAD.exec(answer);
  const separator = own > 0 ? ',' : '';
  if (head && answer.endsWith(tail)) {
    const results = answer.slice(head[0].length, answer.length - tail.length);
    // A result is `{"type":"ok",…}` or `{"type":"error",…}`; inside a value a quote is escaped, so this finds only results.
    const clean = !results.includes('{"type":"error"');
    return { baton: head[1]!, clean, forClient: `{"baton":null,"base_url":null,"results":[${results}${separator}${CLOSE_RESULT}]}` };
  }
  const parsed = JSON.parse(answer) as { baton?: string | null; results: unknown[] };
  const forClient = JSON.stringify({ ...parsed, baton: null, base_url: null, results: [...parsed.results.slice(0, own), JSON.parse(CLOSE_RESULT)] });
  return { baton: parsed.baton ?? null, clean: false, forClient };
}
