/**
 * oauth worker: the MCP authorization server of every wiki host (built out by
 * the Claude-connects issue). Now: its health and the token-verification RPC,
 * which already checks personal access tokens minted by the platform or CLI.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { verifyPersonalAccessToken, type TokenGrant } from '../lib/directory/personal-access-tokens.ts';
import { createWorkerApp } from '../lib/worker/app.ts';
import { dbFor } from '../lib/worker/db.ts';
import type { BaseEnv } from '../lib/worker/env.ts';
import { dbCheck, healthReport, healthResponse, type HealthReport, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';

export interface Env extends BaseEnv {
  SQLD: Fetcher;
}

function health(env: Env): Promise<HealthReport> {
  return healthReport('oauth', { sqld: dbCheck(dbFor(env)) });
}

const app = createWorkerApp<{ Bindings: Env }>('oauth');
app.get(WORKER_HEALTH_PATH, async (c) => healthResponse(await health(c.env)));

export default app;

export class OAuthRpc extends WorkerEntrypoint<Env> {
  health(): Promise<HealthReport> {
    return health(this.env);
  }

  /** What a bearer token presented to wiki `slug` grants, or null: a token for another wiki grants nothing. */
  verifyToken(slug: string, token: string): Promise<TokenGrant | null> {
    return verifyPersonalAccessToken(dbFor(this.env), slug, token);
  }
}
