/**
 * wiki worker: pages, history, search, REST API and git smart HTTP of every
 * wiki host (built out by the wiki issue). Now: its health (store and disk) and
 * a wiki host that knows whether its wiki exists.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { getWikiBySlug } from '../lib/directory/wikis.ts';
import { AppError } from '../lib/errors.ts';
import { classifyHost } from '../lib/hosts.ts';
import { createWorkerApp } from '../lib/worker/app.ts';
import { dbFor } from '../lib/worker/db.ts';
import { api } from './api/routes.ts';
import { serveStatic } from './static-files.ts';
import type { Env } from './context.ts';
import { dbCheck, healthReport, healthResponse, runCheck, type HealthReport, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';

export type { Env } from './context.ts';

function health(env: Env): Promise<HealthReport> {
  return healthReport('wiki', {
    sqld: dbCheck(dbFor(env)),
    disk: runCheck(async () => {
      const res = await env.DISK.fetch('http://disk/', { method: 'HEAD' });
      if (!res.ok) throw new Error(`disk service answered ${res.status}`);
    }),
  });
}

const app = createWorkerApp<{ Bindings: Env }>('wiki');
app.get(WORKER_HEALTH_PATH, async (c) => healthResponse(await health(c.env)));

app.route('/', api);
app.get('/-/static/*', (c) => serveStatic(c.env.STATIC, new URL(c.req.url).pathname.slice('/-/static/'.length), c.req.raw));

app.get('/', async (c) => {
  const target = classifyHost(c.req.header('host'), c.env.APEX);
  if (target.kind !== 'wiki') throw new AppError('not_found', 'Not a wiki host.');
  const wiki = await getWikiBySlug(dbFor(c.env), target.slug);
  if (!wiki) throw new AppError('not_found', `There is no wiki named "${target.slug}".`);
  // Says nothing about the wiki beyond its existence, which its hostname already tells.
  return c.json({ wiki: wiki.slug });
});

export default app;

export class WikiRpc extends WorkerEntrypoint<Env> {
  health(): Promise<HealthReport> {
    return health(this.env);
  }
}
