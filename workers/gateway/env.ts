/** The gateway's bindings: one per worker, HTTP only. */
import type { BaseEnv } from '../lib/worker/env.ts';
import type { WorkerName } from '../lib/edge/routes.ts';

export interface Env extends BaseEnv {
  AUTH: Fetcher;
  OAUTH: Fetcher;
  WIKI: Fetcher;
  MCP: Fetcher;
  PLATFORM: Fetcher;
}

export function bindingFor(env: Env, worker: WorkerName): Fetcher {
  switch (worker) {
    case 'auth': return env.AUTH;
    case 'oauth': return env.OAUTH;
    case 'wiki': return env.WIKI;
    case 'mcp': return env.MCP;
    case 'platform': return env.PLATFORM;
  }
}
