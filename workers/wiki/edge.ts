/**
 * The wiki worker's own front door: the socket Caddy sends wiki hosts to
 * (`*.APEX`), so a wiki request is answered in this isolate instead of
 * crossing the gateway's first. Measured on 2 cores: a cached page view went
 * from 3,400 to 6,500 req/s, because each isolate a request enters costs
 * about as much as the gateway's whole health answer. The routing table, body
 * limits, request ids and security headers are the gateway's own
 * (lib/edge, lib/worker/edge.ts); only wiki hosts are served here.
 */
import { forward, forwardInIsolate, serve, type Answerer } from '../lib/worker/edge.ts';
import { routeRequest } from '../lib/edge/routes.ts';
import { AppError } from '../lib/errors.ts';
import { classifyHost } from '../lib/hosts.ts';
import type { Env } from './context.ts';

/** Answers `request` as the gateway would for a wiki host: this worker's paths through `wiki`, MCP's and OAuth's through their bindings. */
export function serveWikiHost(request: Request, env: Env, wiki: Answerer): Promise<Response> {
  return serve(request, 'wiki', async (incoming) => {
    const target = classifyHost(incoming.request.headers.get('host'), env.APEX);
    // The apex and anything else belong to the gateway's socket.
    if (target.kind !== 'wiki') throw new AppError('not_found', 'There is nothing at this address.');
    const route = routeRequest(target, incoming.url.pathname);
    if (route.to !== 'worker') throw new AppError('not_found', 'There is nothing at this address.');
    switch (route.worker) {
      case 'wiki':
        return forwardInIsolate(wiki, 'wiki', incoming);
      case 'mcp':
        return forward(env.MCP_HTTP, 'mcp', incoming);
      case 'oauth':
        return forward(env.OAUTH_HTTP, 'oauth', incoming);
      default:
        throw new AppError('not_found', 'There is nothing at this address.');
    }
  });
}
