/**
 * platform worker: landing page, dashboard and management (built out by the
 * platform issue). Now: its health, the landing page, and the question Caddy
 * asks before issuing an on-demand certificate.
 */
import { getWikiBySlug } from '../lib/directory/wikis.ts';
import { classifyHost } from '../lib/hosts.ts';
import { createWorkerApp } from '../lib/worker/app.ts';
import { dbFor } from '../lib/worker/db.ts';
import type { BaseEnv } from '../lib/worker/env.ts';
import { dbCheck, healthReport, healthResponse, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';
import { landingPage } from './landing.ts';

export interface Env extends BaseEnv {
  SQLD: Fetcher;
}

const app = createWorkerApp<{ Bindings: Env }>('platform');

app.get(WORKER_HEALTH_PATH, async (c) => healthResponse(await healthReport('platform', { sqld: dbCheck(dbFor(c.env)) })));

/**
 * Caddy's on-demand TLS `ask`: 200 for the apex and for existing wikis, 404 for
 * anything else, so nobody can make us request certificates for random names.
 * The gateway only lets this through from loopback.
 */
app.get('/internal/tls-ask', async (c) => {
  const domain = c.req.query('domain') ?? '';
  const target = classifyHost(domain, c.env.APEX);
  if (target.kind === 'apex') return c.text('apex');
  if (target.kind === 'wiki' && (await getWikiBySlug(dbFor(c.env), target.slug))) return c.text('wiki');
  return c.text('no such wiki', 404);
});

app.get('/', (c) => c.html(landingPage(c.env.PUBLIC_ORIGIN)));

export default app;
