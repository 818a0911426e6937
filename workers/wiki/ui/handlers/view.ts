/** `/` and `/<page>`: a page as it is now, or the offer to create it. */
import { AppError } from '../../../lib/errors.ts';
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
  const view = missingPageView(chrome, {
    key,
    subpages: sub.pages.map((p) => ({ path: p.path, name: p.name })),
    deleted: past.length > 0,
    anonymous: ui.caller.kind === 'anonymous',
  });
  return htmlPage(view, 404);
}

/** GET `/<key>`. */
export async function viewPage(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const page = await cachedForHead(`page:${ui.wiki.id}:${ui.head}:${key}`, () => readPageOrNull(ui, key), (p) => 256 + (p ? p.content.length * 2 : 0));
  if (!page) return missingPage(c, ui, key);
  const [rendered, chrome] = await Promise.all([renderForBrowser(ui.repo, page.content, { head: ui.head, key }), chromeFor(c, ui, { currentKey: key })]);
  return htmlPage(pageView(chrome, key, page, rendered));
}
