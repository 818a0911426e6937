/**
 * The host and path table of DESIGN.md: which worker answers a request.
 * Pure, so the whole table is unit-tested.
 */
import type { HostTarget } from '../hosts.ts';

export const WORKERS = ['auth', 'oauth', 'wiki', 'mcp', 'platform'] as const;
export type WorkerName = (typeof WORKERS)[number];

export type Route =
  | { to: 'worker'; worker: WorkerName }
  /** A health report: the gateway's own, one worker's, or all of them. */
  | { to: 'health'; worker: WorkerName | 'gateway' | 'all' }
  | { to: 'not_found' };

const NOT_FOUND: Route = { to: 'not_found' };
const OAUTH_PATHS = new Set(['/authorize', '/token', '/register', '/revoke', '/.well-known/oauth-authorization-server']);

function isWorkerName(s: string): s is WorkerName {
  return (WORKERS as readonly string[]).includes(s);
}

/** `/healthz` (all) and `/healthz/<worker>`; null for other paths. */
export function healthRoute(path: string): Route | null {
  if (path === '/healthz') return { to: 'health', worker: 'all' };
  const m = /^\/healthz\/([a-z]+)$/.exec(path);
  if (!m) return null;
  const name = m[1]!;
  if (name === 'gateway') return { to: 'health', worker: 'gateway' };
  return isWorkerName(name) ? { to: 'health', worker: name } : NOT_FOUND;
}

/** Routes a request that arrived on the public socket. */
export function routeRequest(target: HostTarget, path: string): Route {
  // Workers' own health paths and the internal routes are for the internal socket only.
  if (path.startsWith('/__') || path.startsWith('/internal/')) return NOT_FOUND;
  switch (target.kind) {
    case 'apex':
      if (path === '/auth' || path.startsWith('/auth/') || path === '/.well-known/jwks.json') return { to: 'worker', worker: 'auth' };
      return healthRoute(path) ?? { to: 'worker', worker: 'platform' };
    case 'wiki':
      if (path === '/mcp' || path === '/mcp/') return { to: 'worker', worker: 'mcp' };
      if (OAUTH_PATHS.has(path) || path === '/.well-known/oauth-protected-resource' || path.startsWith('/.well-known/oauth-protected-resource/')) {
        return { to: 'worker', worker: 'oauth' };
      }
      // Git smart HTTP, the REST API and the web UI are all the wiki worker's.
      return { to: 'worker', worker: 'wiki' };
    case 'loopback':
      // Only the sign-in callback: the loopback client's redirect URI must be an IP literal.
      return path === '/auth/callback' ? { to: 'worker', worker: 'auth' } : NOT_FOUND;
    case 'unknown':
      return NOT_FOUND;
  }
}

/** Routes a request that arrived on the internal (loopback-only) socket. */
export function routeInternal(path: string): Route {
  if (path === '/internal/tls-ask') return { to: 'worker', worker: 'platform' };
  // The admin CLI changed wikis, members, tokens or sessions: the wiki worker drops what it remembered.
  if (path === '/internal/directory-changed') return { to: 'worker', worker: 'wiki' };
  // Meaning-based search: the supervisor's drain tick and the drainer's figures.
  if (path === '/internal/semantic/drain' || path === '/internal/semantic/stats') return { to: 'worker', worker: 'wiki' };
  return healthRoute(path) ?? NOT_FOUND;
}

/** Largest request body per route, in bytes: git pushes and attachments are big, the rest small. */
export function bodyLimitFor(worker: WorkerName, path: string): number {
  if (worker === 'wiki' && path.startsWith('/.git/')) return 100 * 1024 * 1024;
  if (worker === 'wiki') return 26 * 1024 * 1024;
  if (worker === 'mcp') return 16 * 1024 * 1024;
  return 1024 * 1024;
}
