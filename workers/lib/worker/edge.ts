/**
 * What every request from outside goes through first, on whichever socket it
 * arrives: a fresh request id (never a client's), its body limit, errors as
 * answers, and the security headers every response leaves with. The gateway
 * uses it for every host; the wiki worker's own socket (wiki hosts behind
 * Caddy) uses it too, so both front doors behave alike.
 */
import { errorResponse, REQUEST_ID_HEADER } from './app.ts';
import { limitBody, tooLarge } from '../edge/body-limit.ts';
import { bodyLimitFor, type WorkerName } from '../edge/routes.ts';
import { withSecurityHeaders } from './security-headers.ts';

/** A request as the edge forwards it: the client's, with the edge's request id. */
export interface Incoming {
  request: Request;
  url: URL;
  /** The client's headers plus x-request-id. */
  headers: Headers;
  requestId: string;
}

/** Anything that answers a request: a service binding, or a worker's own app. */
export interface Answerer {
  fetch(request: Request): Promise<Response>;
}

/** Hands `incoming` to `worker` (named `name`, for its body limit), refusing a body over the limit with 413. */
export async function forward(worker: Answerer, name: WorkerName, incoming: Incoming): Promise<Response> {
  const { request, headers } = incoming;
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

/** Stamps a fresh request id, answers errors (as `edge`), adds security headers. */
export async function serve(request: Request, edge: string, handle: (incoming: Incoming) => Promise<Response>): Promise<Response> {
  const requestId = crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  const url = new URL(request.url);
  let response: Response;
  try {
    response = await handle({ request, url, headers, requestId });
  } catch (err) {
    response = errorResponse(err, new Request(url, { headers }), edge);
  }
  return withSecurityHeaders(response, { requestId, https: url.protocol === 'https:' });
}
