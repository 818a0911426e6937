/**
 * GET answers of the REST API, remembered per wiki head. A JSON answer is a
 * function of the wiki's state and the address alone (the caller only
 * decides whether it may ask, which is checked on every request), so one
 * computed at head H serves every later request that finds the head at H.
 * The head is also the ETag: a client that sends it back gets a 304.
 */
import type { MiddlewareHandler } from 'hono';
import { SecondAsk } from '../../lib/second-ask.ts';
import { recall, remember, shared } from '../service/head-cache.ts';
import { apiRequest, type ApiEnv } from './api-request.ts';

interface CachedAnswer {
  /** UTF-8, encoded once: a large answer (the page index) is not re-encoded for every request. */
  body: Uint8Array;
  /** Its headers, made once: a Response copies a Headers natively instead of reading an object's keys from JS. */
  headers: Headers;
}

/** Largest answer worth keeping (the cache itself refuses anything over an eighth of its size). */
const MAX_CACHED_BYTES = 1024 * 1024;

/** An answer is kept once its address is asked for a second time (measured: 70 MiB less memory under one-off addresses, and 25% more of them answered). */
const admission = new SecondAsk(4000);

/** True when a request's Accept header asks for JSON first: some routes then answer JSON instead of bytes. */
export function acceptsJson(accept: string | undefined): boolean {
  return (accept ?? '').startsWith('application/json');
}

function etagOf(head: string): string {
  return `W/"${head}"`;
}

function answerHeaders(etag: string): Headers {
  return new Headers({ 'content-type': 'application/json', etag, 'cache-control': 'private, no-cache', vary: 'Accept' });
}

function jsonAnswer(body: Uint8Array | string | null, status: number, headers: Headers): Response {
  return new Response(body as BodyInit | null, { status, headers });
}

export const cachedReads: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.req.method !== 'GET') return next();
  const { wiki, head } = await apiRequest(c, 'read');
  const url = new URL(c.req.url);
  const etag = etagOf(head);
  if (c.req.header('if-none-match') === etag) return jsonAnswer(null, 304, answerHeaders(etag));
  // The same address can answer in two forms (an attachment's bytes, or JSON for `Accept: application/json`).
  const key = `api:${wiki.id}:${head}:${acceptsJson(c.req.header('accept')) ? 'json' : 'any'}:${url.pathname}${url.search}`;
  const hit = recall<CachedAnswer>(key);
  if (hit) return jsonAnswer(hit.body, 200, hit.headers);
  // Requests that miss together share one computation: after a write moves the head, every reader of a
  // popular address misses at once, and would each ask the store the same thing. The request that computes
  // answers with its own response (c.res); the others with a copy of the answer, or on their own when it failed.
  let computed = false;
  const answer = await shared<CachedAnswer | null>(key, async (waiting) => {
    computed = true;
    await next();
    const res = c.res;
    if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('application/json')) return null;
    const keep = admission.admit(key);
    if (!keep && waiting() === 0) {
      // Asked for once so far, and by nobody else now: answer as it is, no copy kept.
      res.headers.set('etag', etag);
      res.headers.set('cache-control', 'private, no-cache');
      return null;
    }
    const body = new Uint8Array(await res.arrayBuffer());
    const made = { body, headers: answerHeaders(etag) };
    if (keep && body.byteLength <= MAX_CACHED_BYTES) remember<CachedAnswer>(key, made, body.byteLength);
    c.res = jsonAnswer(body, 200, made.headers);
    return made;
  });
  if (computed) return;
  if (answer) return jsonAnswer(answer.body, 200, answer.headers);
  return next(); // the computing request's answer was not one to share: find out our own
};
