/**
 * gateway worker: the only worker with a socket. It classifies the Host, routes
 * by the table in routes.ts, stamps a request id, enforces body limits and adds
 * security headers. It holds no business logic.
 */
import { AppError } from '../lib/errors.ts';
import { classifyHost } from '../lib/hosts.ts';
import { errorResponse, REQUEST_ID_HEADER } from '../lib/worker/app.ts';
import { limitBody } from './body-limit.ts';
import { gatherHealth } from './health.ts';
import { bindingFor, type Env } from './env.ts';
import { bodyLimitFor, routeRequest } from './routes.ts';
import { withSecurityHeaders } from './security-headers.ts';

async function handle(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const target = classifyHost(request.headers.get('host'), env.APEX);
  // Loopback-only routes must not be reachable through Caddy, which always adds X-Forwarded-For.
  if (target.kind === 'loopback' && request.headers.has('x-forwarded-for')) {
    throw new AppError('not_found', 'Not found.');
  }
  const route = routeRequest(target, url.pathname);
  switch (route.to) {
    case 'not_found':
      throw new AppError('not_found', target.kind === 'unknown' ? 'There is nothing at this address.' : 'Not found.');
    case 'health':
      return gatherHealth(env, route.worker, request);
    case 'worker': {
      const body = await limitBody(request, bodyLimitFor(route.worker, url.pathname));
      return bindingFor(env, route.worker).fetch(new Request(request, { body }));
    }
  }
}

export default {
  async fetch(incoming: Request, env: Env): Promise<Response> {
    const requestId = crypto.randomUUID();
    const headers = new Headers(incoming.headers);
    headers.set(REQUEST_ID_HEADER, requestId); // never trust a client-supplied id
    const request = new Request(incoming, { headers });
    let response: Response;
    try {
      response = await handle(request, env);
    } catch (err) {
      response = errorResponse(err, request, 'gateway');
    }
    return withSecurityHeaders(response, { requestId, https: new URL(request.url).protocol === 'https:' });
  },
} satisfies ExportedHandler<Env>;
