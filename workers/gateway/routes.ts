/**
 * The host and path table of DESIGN.md: which worker answers a request.
 * Pure, so the whole table is unit-tested.
 */
import type { HostTarget } from '../lib/hosts.ts';

export const WORKERS = ['auth', 'oauth', 'wiki', 'mcp', 'platform'] as const;
export type WorkerName = (typeof WORKERS)[number];

export type Route =
  | { to: 'worker'; worker: WorkerName }
  /** The gateway's own health report (`/healthz`) or one worker's (`/healthz/<name>`). */
  | { to: 'health'; worker: WorkerName | 'gateway' | 'all' }
  | { to: 'not_found'; reason: string };

const OAUTH_PATHS = new Set(['/authorize', '/token', '/register', '/revoke', '/.well-known/oauth-authorization-server']);

function isWorkerName(s: string): s is WorkerName {
  return (WORKERS as readonly string[]).includes(s);
}

function healthRoute(path: string): Route | null {
  if (path === '/healthz') return { to: 'health', worker: 'all' };
  const m = /^\/healthz\/([a-z]+)$/.exec(path);
  if (!m) return null;
  const name = m[1]!;
  if (name === 'gateway') return { to: 'health', worker: 'gateway' };
  return isWorkerName(name) ? { to: 'health', worker: name } : { to: 'not_found', reason: `no worker named ${name}` };
}

export function routeRequest(target: HostTarget, path: string): Route {
  switch (target.kind) {
    case 'loopback':
      // Local probes only: health checks and Caddy's on-demand TLS question.
      if (path === '/internal/tls-ask') return { to: 'worker', worker: 'platform' };
      return healthRoute(path) ?? { to: 'not_found', reason: 'loopback serves health and internal routes only' };
    case 'apex':
      if (path.startsWith('/internal/')) return { to: 'not_found', reason: 'internal routes answer on loopback only' };
      if (path === '/auth' || path.startsWith('/auth/') || path === '/.well-known/jwks.json') return { to: 'worker', worker: 'auth' };
      return healthRoute(path) ?? { to: 'worker', worker: 'platform' };
    case 'wiki':
      if (path === '/mcp' || path === '/mcp/') return { to: 'worker', worker: 'mcp' };
      if (OAUTH_PATHS.has(path) || path === '/.well-known/oauth-protected-resource' || path.startsWith('/.well-known/oauth-protected-resource/')) {
        return { to: 'worker', worker: 'oauth' };
      }
      // Git smart HTTP, the REST API and the web UI are all the wiki worker's.
      return { to: 'worker', worker: 'wiki' };
    case 'unknown':
      return { to: 'not_found', reason: 'unknown host' };
  }
}

/** Largest request body per route, in bytes: git pushes and attachments are big, the rest small. */
export function bodyLimitFor(worker: WorkerName, path: string): number {
  if (worker === 'wiki' && path.startsWith('/.git/')) return 100 * 1024 * 1024;
  if (worker === 'wiki') return 26 * 1024 * 1024;
  if (worker === 'mcp') return 16 * 1024 * 1024;
  return 1024 * 1024;
}
