/**
 * The hono app every worker starts from: error mapping (unexpected 500s also
 * recorded in the store's error log), a marker of which worker answered, and
 * a not-found answer in the caller's format.
 */
import { Hono, type Context, type Env as HonoEnv } from 'hono';
import { isDbUnavailable } from '../db.ts';
import { AppError } from '../errors.ts';
import { describeError, insertError } from './error-log.ts';
import { collectGarbageSoon } from './gc.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Ids the edge gave requests it hands to an app in the same isolate without copying them (lib/worker/edge.ts). */
const assignedIds = new WeakMap<Request, string>();

/** Gives `request` its id without copying it: its own x-request-id header, if any, is the client's and is ignored. */
export function assignRequestId(request: Request, id: string): void {
  assignedIds.set(request, id);
}

/**
 * The id the edge gave this request: assigned in the same isolate, or the
 * x-request-id header of a request that came through a binding (which the
 * edge always sets, replacing any client's).
 */
export function requestIdOf(request: Request): string | undefined {
  return assignedIds.get(request) ?? request.headers.get(REQUEST_ID_HEADER) ?? undefined;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function wantsHtml(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('text/html') && !accept.startsWith('application/json');
}

/**
 * Turns any thrown value into a response. Expected failures (AppError) keep
 * their status and message; sqld being unreachable is a 503 with Retry-After;
 * anything else is logged with the request id and answered with a bare 500.
 */
export function errorResponse(err: unknown, request: Request, worker: string): Response {
  const requestId = requestIdOf(request);
  let status: number, code: string, message: string, details: Record<string, unknown> = {};
  if (err instanceof AppError) {
    ({ status, code, message } = err);
    details = err.details ?? {};
  } else if (isDbUnavailable(err)) {
    [status, code, message] = [503, 'unavailable', 'The database is unavailable right now. Try again in a few seconds.'];
  } else {
    console.error(`[${worker}] unhandled error`, { requestId, url: request.url }, err);
    [status, code, message] = [500, 'internal', 'Something went wrong on our side.'];
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  const retryAfter = details.retry_after;
  if (status === 503 || status === 429) headers.set('retry-after', typeof retryAfter === 'number' ? String(retryAfter) : '5');
  if (wantsHtml(request)) {
    headers.set('content-type', 'text/html; charset=utf-8');
    const body = `<!doctype html><meta charset="utf-8"><title>${status}</title><h1>${status}</h1><p>${escapeHtml(message)}</p>`;
    return new Response(body, { status, headers });
  }
  return Response.json({ error: code, message, ...details, request_id: requestId }, { status, headers });
}

/**
 * Records an unexpected error in the store's error log after the response,
 * when the worker has a store (an `SQLD` binding) and a request context.
 * Never throws and never delays or fails the response.
 */
export function recordUnhandledError(c: Context, worker: string, err: unknown): void {
  try {
    const env = c.env as { SQLD?: Fetcher } | undefined;
    if (!env?.SQLD) return;
    const request = c.req.raw;
    // Without the query: it may carry one-time codes or other secrets.
    const url = new URL(request.url);
    const record = { worker, requestId: requestIdOf(request) ?? null, method: request.method, url: `${url.origin}${url.pathname}`, message: describeError(err) };
    c.executionCtx.waitUntil(
      insertError(env.SQLD, record).catch((e: unknown) => console.error(`[${worker}] could not record an error in the error log`, e)),
    );
  } catch (e) {
    // No execution context (a unit test calling the app directly): nothing to record with.
    console.error(`[${worker}] could not record an error in the error log`, e);
  }
}

/** The error handler of `createWorkerApp`: the mapped response, with 500s recorded. */
export function handleWorkerError(err: unknown, c: Context, worker: string): Response {
  const response = errorResponse(err, c.req.raw, worker);
  if (response.status === 500) recordUnhandledError(c, worker, err);
  return response;
}

export function createWorkerApp<E extends HonoEnv>(worker: string): Hono<E> {
  const app = new Hono<E>();
  app.use(async (c, next) => {
    await next();
    c.res.headers.set('x-served-by', worker);
    collectGarbageSoon((work) => c.executionCtx.waitUntil(work));
  });
  app.onError((err, c) => handleWorkerError(err, c, worker));
  app.notFound((c) => errorResponse(new AppError('not_found', 'Not found.'), c.req.raw, worker));
  return app;
}
