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
import { limitBody, tooLarge } from './body-limit.ts';
import { bindingFor, type Env } from './env.ts';
import { gatherHealth } from './health.ts';
import { bodyLimitFor, routeInternal, routeRequest, type Route } from './routes.ts';
import { withSecurityHeaders } from './security-headers.ts';

async function dispatch(route: Route, request: Request, env: Env, detail: boolean): Promise<Response> {
  const url = new URL(request.url);
  switch (route.to) {
    case 'not_found':
      throw new AppError('not_found', 'There is nothing at this address.');
    case 'health':
      return gatherHealth(env, route.worker, { requestId: request.headers.get(REQUEST_ID_HEADER)!, detail });
    case 'worker': {
      const limit = bodyLimitFor(route.worker, url.pathname);
      const { body, exceeded } = await limitBody(request, limit);
      try {
        const response = await bindingFor(env, route.worker).fetch(new Request(request, { body }));
        if (exceeded()) throw tooLarge(limit);
        return response;
      } catch (err) {
        throw exceeded() ? tooLarge(limit) : err;
      }
    }
  }
}

/** Stamps a fresh request id (never a client's), answers errors, adds security headers. */
async function serve(incoming: Request, handle: (request: Request) => Promise<Response>): Promise<Response> {
  const requestId = crypto.randomUUID();
  const headers = new Headers(incoming.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  const request = new Request(incoming, { headers });
  let response: Response;
  try {
    response = await handle(request);
  } catch (err) {
    response = errorResponse(err, request, 'gateway');
  }
  return withSecurityHeaders(response, { requestId, https: new URL(request.url).protocol === 'https:' });
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return serve(request, (r) => dispatch(routeRequest(classifyHost(r.headers.get('host'), env.APEX), new URL(r.url).pathname), r, env, false));
  },
} satisfies ExportedHandler<Env>;

/** The internal socket's entrypoint (config.capnp binds it to 127.0.0.1 only). */
export class Internal extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    return serve(request, (r) => dispatch(routeInternal(new URL(r.url).pathname), r, this.env, true));
  }
}
