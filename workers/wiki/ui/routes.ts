/**
 * The wiki's web UI: every path of a wiki host that is not the REST API
 * (`/api/`), git (`/.git/`), static files or health. Server-rendered HTML that
 * works without JavaScript; every state-changing form is a POST carrying the
 * CSRF token, checked before anything else, answered with a 303 redirect.
 *
 * - `/`, `/<page>`: view; `/<page>/edit` (GET, POST), `/<page>/history`,
 *   `/<page>/diff?from=&to=`, `/<page>/blame[?revision=&limit=]`,
 *   `/<page>/view/<rev>`, `POST /<page>/revert`,
 *   `/<page>/rename` (GET, POST), `/<page>/delete` (GET, POST),
 *   `/<page>/attachments` (GET, POST upload), `POST /<page>/attachments/delete`,
 *   `/<page>/a/<file>` (download)
 * - `/-/index`, `/-/changes`, `/-/search?q=`, `/-/create`, `POST /-/preview`
 * - `/-/changelog/feed.rss`, `/-/changelog/feed.atom` (feeds of recent changes;
 *   `/-/changelog` itself, Otterwiki's name for recent changes, redirects)
 */
import { Hono, type Next } from 'hono';
import { AppError } from '../../lib/errors.ts';
import { uiErrorResponse } from './errors.ts';
import { deleteAttachmentAction, downloadAttachment, attachmentsPage, uploadAttachments } from './handlers/attachments.ts';
import { editPage, livePreview, savePage } from './handlers/edit.ts';
import { changesFeed } from './handlers/feeds.ts';
import { blamePage, diffPage, historyPage, revertPage, revisionPage } from './handlers/history.ts';
import { deleteAction, deleteForm, renameAction, renameForm } from './handlers/manage.ts';
import { changesPage, createPage, indexPage, searchPage } from './handlers/special.ts';
import { viewPage } from './handlers/view.ts';
import { parsePageRoute } from './page-route.ts';
import { withUiHeaders } from './security-headers.ts';
import type { UiContext, UiEnv } from './ui-request.ts';
import { feedUrl, pageUrl, specialUrl } from './urls.ts';

/** Paths other parts of the wiki worker answer; the UI leaves them alone. */
function isForeignPath(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname === '/api' || pathname.startsWith('/.git/') || pathname.startsWith('/-/static/') || pathname.startsWith('/__');
}

function notHere(c: UiContext): never {
  throw new AppError('not_found', `Nothing here answers ${c.req.method} ${new URL(c.req.url).pathname}.`);
}

/** GET of a page path: view, action form, revision, attachment. */
async function pageGet(c: UiContext, next: Next): Promise<Response | void> {
  const url = new URL(c.req.url);
  if (isForeignPath(url.pathname)) return next();
  const route = parsePageRoute(url.pathname);
  switch (route.kind) {
    case 'view':
      if (!route.canonical) return c.redirect(`${pageUrl(route.key)}${url.search}`, 301);
      return viewPage(c, route.key);
    case 'revision':
      return revisionPage(c, route.key, route.revision);
    case 'attachment':
      return downloadAttachment(c, route.key, route.name);
    case 'attachment-delete':
      return notHere(c);
    case 'action':
      switch (route.action) {
        case 'edit':
          return editPage(c, route.key);
        case 'history':
          return historyPage(c, route.key);
        case 'diff':
          return diffPage(c, route.key);
        case 'blame':
          return blamePage(c, route.key);
        case 'rename':
          return renameForm(c, route.key);
        case 'delete':
          return deleteForm(c, route.key);
        case 'attachments':
          return attachmentsPage(c, route.key);
        case 'revert':
          return notHere(c);
      }
  }
}

/** POST of a page path: the state-changing actions. */
async function pagePost(c: UiContext, next: Next): Promise<Response | void> {
  const url = new URL(c.req.url);
  if (isForeignPath(url.pathname)) return next();
  const route = parsePageRoute(url.pathname);
  if (route.kind === 'attachment-delete') return deleteAttachmentAction(c, route.key);
  if (route.kind !== 'action') return notHere(c);
  switch (route.action) {
    case 'edit':
      return savePage(c, route.key);
    case 'revert':
      return revertPage(c, route.key);
    case 'rename':
      return renameAction(c, route.key);
    case 'delete':
      return deleteAction(c, route.key);
    case 'attachments':
      return uploadAttachments(c, route.key);
    case 'history':
    case 'diff':
    case 'blame':
      return notHere(c);
  }
}

/** The UI sub-app; mount with `app.route('/', ui)` after the API and static routes. */
export const ui = new Hono<UiEnv>();

ui.onError((err, c) => uiErrorResponse(err, c));

ui.use('*', async (c, next) => {
  if (isForeignPath(new URL(c.req.url).pathname)) return next();
  await next();
  // Assigning c.res makes hono copy the response and its headers; only do it when withUiHeaders had to.
  const res = withUiHeaders(c.res);
  if (res !== c.res) c.res = res;
});

ui.get('/-/index', indexPage);
ui.get('/-/changes', changesPage);
ui.get('/-/changelog', (c) => c.redirect(specialUrl('changes'), 301));
ui.get(feedUrl('rss'), changesFeed('rss'));
ui.get(feedUrl('atom'), changesFeed('atom'));
ui.get('/-/search', searchPage);
ui.get('/-/create', createPage);
ui.post('/-/preview', livePreview);
ui.all('/-/*', async (c, next) => (isForeignPath(new URL(c.req.url).pathname) ? next() : notHere(c)));
ui.get('*', pageGet);
ui.post('*', pagePost);
ui.all('*', async (c, next) => (isForeignPath(new URL(c.req.url).pathname) ? next() : notHere(c)));
