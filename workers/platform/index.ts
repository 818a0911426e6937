/**
 * platform worker: the apex's pages and management. The landing page, sign-in
 * page, dashboard (wikis, collaborators, tokens, connected apps, connection, settings),
 * account and admin pages, the management JSON API under /api/, and the
 * question Caddy asks before issuing an on-demand certificate. Server-rendered,
 * no script; every state-changing form carries a CSRF token and must come from
 * the apex's own origin.
 */
import { getWikiBySlug } from '../lib/directory/wikis.ts';
import { AppError } from '../lib/errors.ts';
import { classifyHost } from '../lib/hosts.ts';
import { createWorkerApp, handleWorkerError, requestIdOf } from '../lib/worker/app.ts';
import { dbFor } from '../lib/worker/db.ts';
import { dbCheck, healthReport, healthResponse, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';
import { api } from './api/routes.ts';
import type { Env } from './env.ts';
import { accountPages } from './routes/account-pages.ts';
import { adminPages } from './routes/admin-pages.ts';
import { connectionPages } from './routes/connection-pages.ts';
import { dashboardPages } from './routes/dashboard-pages.ts';
import { memberPages } from './routes/member-pages.ts';
import { errorPageResponse, SignInRequired } from './routes/page-kit.ts';
import { publicPages } from './routes/public-pages.ts';
import { tokenPages } from './routes/token-pages.ts';
import { wikiPages } from './routes/wiki-pages.ts';
import type { PlatformContext, PlatformVariables } from './session.ts';

export type { Env } from './env.ts';

const app = createWorkerApp<{ Bindings: Env; Variables: PlatformVariables }>('platform');

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

app.route('/api', api);
for (const pages of [publicPages, dashboardPages, wikiPages, memberPages, tokenPages, connectionPages, accountPages, adminPages]) app.route('/', pages);

/** True when the failed request was a browser's page request (HTML wanted, not the API). */
function isPageRequest(c: PlatformContext): boolean {
  const accept = c.req.header('accept') ?? '';
  return !new URL(c.req.url).pathname.startsWith('/api/') && accept.includes('text/html') && !accept.startsWith('application/json');
}

/**
 * Errors: a signed-out visitor to /app is sent to sign in and back; page
 * requests get a friendly page in the site's frame; the API keeps the shared
 * JSON mapping. Unexpected 500s are recorded in the error log either way.
 */
app.onError((err, c) => {
  if (err instanceof SignInRequired) {
    return new Response(null, { status: 303, headers: { location: `/sign-in?return_to=${encodeURIComponent(err.returnTo)}`, 'cache-control': 'no-store' } });
  }
  const shared = handleWorkerError(err, c, 'platform');
  if (!isPageRequest(c)) return shared;
  const session = c.get('session') ?? null;
  const retry = err instanceof AppError && typeof err.details?.retry_after === 'number' ? err.details.retry_after : undefined;
  const message =
    err instanceof AppError
      ? err.message
      : shared.status === 503
        ? 'The database is unavailable right now. Try again in a few seconds.'
        : `Something went wrong on our side. If it keeps happening, tell the people who run this site (request ${requestIdOf(c.req.raw) ?? 'unknown'}).`;
  return errorPageResponse(shared.status, message, session, retry ?? (shared.status === 503 ? 5 : undefined));
});

app.notFound((c) => {
  if (!isPageRequest(c)) return handleWorkerError(new AppError('not_found', 'Not found.'), c, 'platform');
  return errorPageResponse(404, 'There is nothing at this address.', c.get('session') ?? null);
});

export default app;
