/**
 * The past of a page: `/<page>/history`, `/<page>/diff?from=&to=`,
 * `/<page>/blame?revision=&limit=`, `/<page>/view/<rev>`, and
 * `POST /<page>/revert` (undo one commit).
 */
import { AppError } from '../../../lib/errors.ts';
import { authorOf } from '../../context.ts';
import { diffLines } from '../../edit/index.ts';
import { DEFAULT_BLAME_REVISIONS, pageBlame } from '../../service/blame.ts';
import { pageAt, pageVersions } from '../../service/page-at.ts';
import { checkRevision, pageHistory, pageRow } from '../../service/pages.ts';
import { revertCommit } from '../../service/revert.ts';
import { chromeFor } from '../chrome.ts';
import { readForm } from '../form.ts';
import { renderForBrowser } from '../render-page.ts';
import { htmlPage, seeOther } from '../respond.ts';
import { uiRequest, type UiContext } from '../ui-request.ts';
import { pageUrl, revisionUrl } from '../urls.ts';
import { compareView, type Side } from '../views/compare.ts';
import { errorView } from '../views/error.ts';
import { blameView } from '../views/blame.ts';
import { historyView } from '../views/history.ts';
import { html } from '../template.ts';
import { revisionView } from '../views/revision.ts';

/** Most revisions the history page lists. */
const HISTORY_LIMIT = 200;

/** GET `/<key>/history`. */
export async function historyPage(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const [entries, row, chrome] = await Promise.all([pageHistory(ui.repo, key, { limit: HISTORY_LIMIT }), pageRow(ui.repo, key), chromeFor(c, ui, { currentKey: key })]);
  if (entries.length === 0) throw new AppError('not_found', `The page ${key} has no history: it never existed.`);
  return htmlPage(historyView(chrome, key, entries, row !== null, entries.length === HISTORY_LIMIT));
}

/** GET `/<key>/blame[?revision=<rev>][&limit=<n>]`: each line with the change that last touched it. */
export async function blamePage(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const asked = c.req.query('revision')?.trim() || undefined;
  const limit = Number.parseInt(c.req.query('limit') ?? '', 10);
  const [blame, chrome] = await Promise.all([
    pageBlame(ui.repo, key, { ...(asked ? { revision: checkRevision(asked) } : {}), limit: Number.isFinite(limit) ? limit : DEFAULT_BLAME_REVISIONS }),
    chromeFor(c, ui, { currentKey: key }),
  ]);
  return htmlPage(blameView(chrome, key, blame, asked));
}

/** GET `/<key>/diff?from=&to=`: `to` defaults to the current revision, `from` to the page's revision before `to`. */
export async function diffPage(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const versions = await pageVersions(ui.repo, key, { from: c.req.query('from'), to: c.req.query('to') });
  const fromSide: Side = versions.from;
  const toSide: Side = versions.to;
  const hunks = diffLines(fromSide.page?.content ?? '', toSide.page?.content ?? '');
  const chrome = await chromeFor(c, ui, { currentKey: key });
  return htmlPage(compareView(chrome, key, fromSide, toSide, hunks, versions.exists));
}

/** GET `/<key>/view/<rev>`: the page as it was right after that commit. */
export async function revisionPage(c: UiContext, key: string, revision: string): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const [at, row] = await Promise.all([pageAt(ui.repo, key, revision), pageRow(ui.repo, key)]);
  if (!at) throw new AppError('not_found', `The page ${key} did not exist at revision ${revision}.`);
  const [rendered, chrome] = await Promise.all([renderForBrowser(ui.repo, at.content, key), chromeFor(c, ui, { currentKey: key })]);
  return htmlPage(revisionView(chrome, key, at, rendered, row?.updatedCommit ?? null, ui.csrf));
}

/** POST `/<key>/revert` (`revision`): a new commit undoing that commit; a refusal explains how to restore instead. */
export async function revertPage(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const form = await readForm(c, ui);
  const revision = checkRevision(form.text('revision').trim());
  try {
    await revertCommit(ui.repo, c.env.APEX, revision, { author: authorOf(ui.caller, c.env.APEX) });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'conflict') throw err;
    const chrome = await chromeFor(c, ui, { currentKey: key });
    const restore = html`<p>To bring back that version of this page anyway, <a href="${revisionUrl(key, revision)}">open it</a> and choose “Restore this version”.</p>`;
    return htmlPage(errorView(chrome, 409, err.message, restore), 409);
  }
  return seeOther(pageUrl(key));
}

