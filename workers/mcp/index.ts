/**
 * mcp worker: the MCP endpoint of every wiki host (built out by the
 * Claude-connects issue). It reaches wiki content and credentials only through
 * JS-RPC; its health proves both bindings answer.
 */
import { createWorkerApp } from '../lib/worker/app.ts';
import type { BaseEnv } from '../lib/worker/env.ts';
import { healthReport, healthResponse, runCheck, type HealthReport, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';
import type { OAuthRpc } from '../oauth/index.ts';
import type { WikiRpc } from '../wiki/index.ts';

export interface Env extends BaseEnv {
  WIKI: Service<WikiRpc>;
  OAUTH: Service<OAuthRpc>;
}

async function expectHealthy(report: Promise<HealthReport>): Promise<void> {
  const r = await report;
  if (!r.ok) throw new Error(`${r.worker} reports unhealthy`);
}

const app = createWorkerApp<{ Bindings: Env }>('mcp');
app.get(WORKER_HEALTH_PATH, async (c) =>
  healthResponse(
    await healthReport('mcp', {
      'wiki-rpc': runCheck(() => expectHealthy(c.env.WIKI.health())),
      'oauth-rpc': runCheck(() => expectHealthy(c.env.OAUTH.health())),
    }),
  ),
);

export default app;
