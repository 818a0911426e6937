/** The wiki's own pages: `/-/index`, `/-/changes`, `/-/search?q=`, `/-/create`. */
import { AppError } from '../../../lib/errors.ts';
import { newPageNameProblem, normalizePageName } from '../../pages/page-name.ts';
import { listPages, recentChanges } from '../../service/pages.ts';
import { MAX_SEARCH_OFFSET, searchPages } from '../../search/search-pages.ts';
import { chromeFor } from '../chrome.ts';
import { htmlPage, seeOther } from '../respond.ts';
import { uiRequest, type UiContext } from '../ui-request.ts';
import { pageUrl } from '../urls.ts';
import { changesView, createView, indexView, searchView, type SearchPage } from '../views/special.ts';

/** Pages listed per index page. */
const INDEX_PAGE = 1000;
/** Commits listed on recent changes. */
const CHANGES = 100;
/** Search results per page. */
const RESULTS = 20;

/** GET `/-/index[?after=<key>]`. */
export async function indexPage(c: UiContext): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const after = c.req.query('after')?.slice(0, 600);
  const [list, chrome] = await Promise.all([listPages(ui.repo, { limit: INDEX_PAGE, ...(after ? { after } : {}) }), chromeFor(c, ui)]);
  return htmlPage(indexView(chrome, list.pages.map((p) => ({ path: p.path, name: p.name })), list.next));
}

/** GET `/-/changes`. */
export async function changesPage(c: UiContext): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const [entries, chrome] = await Promise.all([recentChanges(ui.repo, CHANGES), chromeFor(c, ui)]);
  return htmlPage(changesView(chrome, entries));
}

/** GET `/-/search?q=&offset=`. */
export async function searchPage(c: UiContext): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const query = (c.req.query('q') ?? '').trim().slice(0, 500);
  const offsetParam = Number.parseInt(c.req.query('offset') ?? '0', 10);
  const offset = Number.isFinite(offsetParam) ? Math.min(Math.max(offsetParam, 0), MAX_SEARCH_OFFSET) : 0;
  const chrome = await chromeFor(c, ui, { query });
  const state: SearchPage = { query, hits: [], total: 0, offset, limit: RESULTS };
  if (!query) return htmlPage(searchView(chrome, state));
  try {
    const found = await searchPages(ui.repo, ui.wiki.id, query, { limit: RESULTS, offset, head: ui.head });
    return htmlPage(searchView(chrome, { ...state, hits: found.results, total: found.total }));
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'invalid') throw err;
    return htmlPage(searchView(chrome, { ...state, error: err.message }), 400);
  }
}

/** GET `/-/create[?name=]`: asks for a name, then redirects to that page's editor. */
export async function createPage(c: UiContext): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const name = c.req.query('name');
  const chrome = await chromeFor(c, ui);
  if (name === undefined) return htmlPage(createView(chrome, ''));
  const result = normalizePageName(name);
  if (!result.ok) return htmlPage(createView(chrome, name, result.error.message), 400);
  const problem = newPageNameProblem(result.key);
  if (problem) return htmlPage(createView(chrome, name, problem.message), 400);
  return seeOther(pageUrl(result.key, 'edit'));
}
