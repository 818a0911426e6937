/**
 * gateway worker: owns the public socket every host can reach and the
 * internal socket. The public socket classifies the Host and routes by the
 * table in lib/edge/routes.ts (behind Caddy, wiki hosts go straight to the
 * wiki worker's own socket instead; see workers/wiki/edge.ts); the internal
 * socket (loopback only, never behind Caddy) serves detailed health and
 * Caddy's on-demand TLS question. Every request gets a fresh id, its body
 * limit and the security headers (lib/worker/edge.ts). No business logic lives here.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { forward, serve, type Incoming } from '../lib/worker/edge.ts';
import { routeInternal, routeRequest, type Route } from '../lib/edge/routes.ts';
import { AppError } from '../lib/errors.ts';
import { classifyHost } from '../lib/hosts.ts';
import { collectGarbageSoon } from '../lib/worker/gc.ts';
import { bindingFor, type Env } from './env.ts';
import { gatherHealth } from './health.ts';

function dispatch(route: Route, incoming: Incoming, env: Env, detail: boolean): Promise<Response> {
  switch (route.to) {
    case 'not_found':
      throw new AppError('not_found', 'There is nothing at this address.');
    case 'health':
      return gatherHealth(env, route.worker, { requestId: incoming.requestId, detail });
    case 'worker':
      return forward(bindingFor(env, route.worker), route.worker, incoming);
  }
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    collectGarbageSoon((work) => ctx.waitUntil(work));
    return serve(request, 'gateway', (r) => dispatch(routeRequest(classifyHost(r.request.headers.get('host'), env.APEX), r.url.pathname), r, env, false));
  },
} satisfies ExportedHandler<Env>;

/** The internal socket's entrypoint (config.capnp binds it to 127.0.0.1 only). */
export class Internal extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    return serve(request, 'gateway', (r) => dispatch(routeInternal(r.url.pathname), r, this.env, true));
  }
}
