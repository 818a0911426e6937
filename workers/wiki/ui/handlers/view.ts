/** `/` and `/<page>`: a page as it is now, or the offer to create it. */
import { AppError } from '../../../lib/errors.ts';
import { newPageNameProblem } from '../../pages/page-name.ts';
import { listPages, pageHistory, readPage, type Page } from '../../service/pages.ts';
import { cachedForHead } from '../../service/head-cache.ts';
import { chromeFor } from '../chrome.ts';
import { renderForBrowser } from '../render-page.ts';
import { htmlPage } from '../respond.ts';
import { uiRequest, type UiContext, type UiRequest } from '../ui-request.ts';
import { missingPageView } from '../views/missing.ts';
import { pageView } from '../views/page-view.ts';

/** Most subpages a missing page (a folder) lists. */
const FOLDER_LISTING = 200;

/** The page, or null when it does not exist. */
export async function readPageOrNull(ui: UiRequest, key: string): Promise<Page | null> {
  try {
    return await readPage(ui.repo, key);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return null;
    throw err;
  }
}

/** The 404 page of a missing page: create it, its subpages, its history. */
export async function missingPage(c: UiContext, ui: UiRequest, key: string): Promise<Response> {
  const [sub, past, chrome] = await Promise.all([
    listPages(ui.repo, { prefix: `${key}/`, limit: FOLDER_LISTING }),
    pageHistory(ui.repo, key, { limit: 1 }),
    chromeFor(c, ui, { currentKey: key }),
  ]);
  const cannotCreate = newPageNameProblem(key);
  const view = missingPageView(chrome, {
    key,
    subpages: sub.pages.map((p) => ({ path: p.path, name: p.name })),
    deleted: past.length > 0,
    anonymous: ui.caller.kind === 'anonymous',
    ...(cannotCreate ? { cannotCreate: cannotCreate.message } : {}),
  });
  return htmlPage(view, 404);
}

/** GET `/<key>`. */
export async function viewPage(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const chrome = await chromeFor(c, ui, { currentKey: key });
  // The whole page is a function of the wiki's head, the page and what the chrome shows this caller.
  const viewKey = `view:${ui.wiki.id}:${ui.head}:${key}:${JSON.stringify([chrome.userName, chrome.canWrite, chrome.offerSignIn, ui.csrf, chrome.signInHref])}`;
  const html = await cachedForHead(
    viewKey,
    async () => {
      const page = await readPageOrNull(ui, key);
      if (!page) return null;
      return new TextEncoder().encode(pageView(chrome, key, page, await renderForBrowser(ui.repo, page.content, key, ui.head)).toString());
    },
    (h) => 256 + (h ? h.byteLength : 0),
  );
  return html === null ? missingPage(c, ui, key) : htmlPage(html);
}
