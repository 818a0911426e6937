/**
 * What every request from outside goes through first, on whichever socket it
 * arrives: a fresh request id (never a client's), its body limit, errors as
 * answers, and the security headers every response leaves with. The gateway
 * uses it for every host; the wiki worker's own socket (wiki hosts behind
 * Caddy) uses it too, so both front doors behave alike.
 */
import { assignRequestId, errorResponse, REQUEST_ID_HEADER } from './app.ts';
import { limitBody, tooLarge } from '../edge/body-limit.ts';
import { bodyLimitFor, type WorkerName } from '../edge/routes.ts';
import { withSecurityHeaders } from './security-headers.ts';

/** A request as it came in, with the id the edge gave it. */
export interface Incoming {
  request: Request;
  url: URL;
  requestId: string;
}

/** Anything that answers a request: a service binding, or a worker's own app. */
export interface Answerer {
  fetch(request: Request): Promise<Response>;
}

/** The client's headers with the edge's request id in place of any the client sent. */
function headersFor(incoming: Incoming): Headers {
  const headers = new Headers(incoming.request.headers);
  headers.set(REQUEST_ID_HEADER, incoming.requestId);
  return headers;
}

/**
 * Hands `incoming` to `worker` (named `name`, for its body limit) as a copy
 * carrying the request id, refusing a body over the limit with 413.
 */
export async function forward(worker: Answerer, name: WorkerName, incoming: Incoming): Promise<Response> {
  const { request } = incoming;
  const headers = headersFor(incoming);
  if (!request.body) return worker.fetch(new Request(request, { headers }));
  const limit = bodyLimitFor(name, incoming.url.pathname);
  const { body, exceeded } = await limitBody(request, limit);
  try {
    const response = await worker.fetch(new Request(request, { headers, body }));
    if (exceeded()) throw tooLarge(limit);
    return response;
  } catch (err) {
    throw exceeded() ? tooLarge(limit) : err;
  }
}

/**
 * Like `forward`, for an app in this same isolate: a request without a body
 * is handed over as it is, its id assigned beside it (requestIdOf) instead of
 * copied into a new request's headers: a copy is a fifth of a cached page view.
 */
export function forwardInIsolate(app: Answerer, name: WorkerName, incoming: Incoming): Promise<Response> {
  if (incoming.request.body) return forward(app, name, incoming);
  assignRequestId(incoming.request, incoming.requestId);
  return app.fetch(incoming.request);
}

/** Gives the request a fresh id, answers errors (as `edge`), adds security headers. */
export async function serve(request: Request, edge: string, handle: (incoming: Incoming) => Promise<Response>): Promise<Response> {
  const incoming: Incoming = { request, url: new URL(request.url), requestId: crypto.randomUUID() };
  let response: Response;
  try {
    response = await handle(incoming);
  } catch (err) {
    response = errorResponse(err, new Request(incoming.url, { headers: headersFor(incoming) }), edge);
  }
  return withSecurityHeaders(response, { requestId: incoming.requestId, https: incoming.url.protocol === 'https:' });
}
