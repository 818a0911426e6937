/**
 * gateway worker: the only worker with sockets. The public socket classifies
 * the Host, routes by the table in routes.ts, enforces body limits and adds
 * security headers; the internal socket (loopback only, never behind Caddy)
 * serves detailed health and Caddy's on-demand TLS question. Every request
 * gets a fresh id. No business logic lives here.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { AppError } from '../lib/errors.ts';
import { classifyHost } from '../lib/hosts.ts';
import { errorResponse, REQUEST_ID_HEADER } from '../lib/worker/app.ts';
import { collectGarbageSoon } from '../lib/worker/gc.ts';
import { limitBody, tooLarge } from './body-limit.ts';
import { bindingFor, type Env } from './env.ts';
import { gatherHealth } from './health.ts';
import { bodyLimitFor, routeInternal, routeRequest, type Route } from './routes.ts';
import { withSecurityHeaders } from './security-headers.ts';

/** A request as the gateway forwards it: the client's, with the gateway's request id. */
interface Incoming {
  request: Request;
  url: URL;
  /** The client's headers plus x-request-id. */
  headers: Headers;
  requestId: string;
}

async function dispatch(route: Route, incoming: Incoming, env: Env, detail: boolean): Promise<Response> {
  switch (route.to) {
    case 'not_found':
      throw new AppError('not_found', 'There is nothing at this address.');
    case 'health':
      return gatherHealth(env, route.worker, { requestId: incoming.requestId, detail });
    case 'worker': {
      const worker = bindingFor(env, route.worker);
      const { request, headers } = incoming;
      if (!request.body) return worker.fetch(new Request(request, { headers }));
      const limit = bodyLimitFor(route.worker, incoming.url.pathname);
      const { body, exceeded } = await limitBody(request, limit);
      try {
        const response = await worker.fetch(new Request(request, { headers, body }));
        if (exceeded()) throw tooLarge(limit);
        return response;
      } catch (err) {
        throw exceeded() ? tooLarge(limit) : err;
      }
    }
  }
}

/** Stamps a fresh request id (never a client's), answers errors, adds security headers. */
async function serve(request: Request, handle: (incoming: Incoming) => Promise<Response>): Promise<Response> {
  const requestId = crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  const url = new URL(request.url);
  let response: Response;
  try {
    response = await handle({ request, url, headers, requestId });
  } catch (err) {
    response = errorResponse(err, new Request(url, { headers }), 'gateway');
  }
  return withSecurityHeaders(response, { requestId, https: url.protocol === 'https:' });
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    collectGarbageSoon((work) => ctx.waitUntil(work));
    return serve(request, (r) => dispatch(routeRequest(classifyHost(r.headers.get('host'), env.APEX), r.url.pathname), r, env, false));
  },
} satisfies ExportedHandler<Env>;

/** The internal socket's entrypoint (config.capnp binds it to 127.0.0.1 only). */
export class Internal extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    return serve(request, (r) => dispatch(routeInternal(r.url.pathname), r, this.env, true));
  }
}
