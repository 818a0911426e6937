/**
 * wiki worker: pages, history, search, REST API and git smart HTTP of every
 * wiki host: its health (store and disk), the REST API, the browser files
 * under `/-/static/`, and the web UI on every other path. Reached through the
 * gateway, or (behind Caddy) on its own socket through `Edge`.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { createWorkerApp } from '../lib/worker/app.ts';
import { collectGarbageSoon } from '../lib/worker/gc.ts';
import { dbFor } from '../lib/worker/db.ts';
import { serveWikiHost } from './edge.ts';
import { api } from './api/routes.ts';
import { forgetDirectory } from './directory-cache.ts';
import { gitHttp } from './git-http/routes.ts';
import { rpcAnswer } from '../lib/rpc-result.ts';
import { openWikiSession, type RpcResult, type WikiSession } from './rpc/wiki-session.ts';
import { destroyWikiStorage } from './service/destroy-storage.ts';
import { serveStatic } from './static-files.ts';
import { ui } from './ui/routes.ts';
import { semanticApi } from './semantic/api.ts';
import { semanticUi } from './semantic/ui.ts';
import { drainNow, drainSoon, drainTotals } from './semantic/runner.ts';
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

// Meaning-based search follows every successful write: its freshness queue is drained after the response.
app.use('*', async (c, next) => {
  await next();
  const m = c.req.method;
  if (m !== 'GET' && m !== 'HEAD' && c.res.status < 400 && !c.req.path.startsWith('/internal/')) drainSoon(c.env);
});

// Only the internal socket reaches /internal/* (the gateway never forwards it from the public one).
app.post('/internal/directory-changed', (c) => {
  forgetDirectory();
  return c.body(null, 204);
});

app.route('/', gitHttp);
// The supervisor's tick (bin/lib/semantic-ticker.ts) and the drainer's figures.
app.post('/internal/semantic/drain', async (c) => c.json(await drainNow(c.env)));
app.get('/internal/semantic/stats', (c) => c.json(drainTotals()));

app.route('/', semanticApi);
app.route('/', api);
app.get('/-/static/*', (c) => serveStatic(c.env.STATIC, new URL(c.req.url).pathname.slice('/-/static/'.length), c.req.raw));

// The web UI answers every other path of a wiki host (search by meaning and its status page first).
app.route('/', semanticUi);
app.route('/', ui);

export default app;

/** The socket Caddy sends wiki hosts to (config.capnp): this app, with the gateway's routing, limits and headers (edge.ts). */
export class Edge extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    return serveWikiHost(request, this.env, { fetch: (r) => Promise.resolve(app.fetch(r, this.env, this.ctx)) });
  }
}

export class WikiRpc extends WorkerEntrypoint<Env> {
  health(): Promise<HealthReport> {
    return health(this.env);
  }

  /**
   * A session on `slug` acting as the holder of `token` (an OAuth access
   * token or a personal access token for that wiki): the REST API's
   * operations, for the MCP worker. See rpc/wiki-session.ts.
   */
  open(slug: string, token: string): Promise<RpcResult<WikiSession>> {
    collectGarbageSoon((work) => this.ctx.waitUntil(work));
    return openWikiSession(this.env, slug, token);
  }

  /** The platform changed wikis, members, tokens or sessions: drop what this isolate remembered. */
  forgetDirectory(): void {
    forgetDirectory();
  }

  /**
   * Removes the git repository of a wiki the platform has just deleted (by
   * id: the slug no longer names it). Refused while the wiki's row exists.
   */
  destroyWikiStorage(wikiId: string): Promise<RpcResult<{ removed: boolean }>> {
    return rpcAnswer(() => destroyWikiStorage(this.env, wikiId));
  }
}
