/**
 * `/<page>/edit`: the editor (GET), saving with the base revision (POST; a
 * conflict shows the form again with the current text), the no-JavaScript
 * preview (POST with action=preview), and the live preview `POST /-/preview`.
 */
import { AppError } from '../../../lib/errors.ts';
import { authorOf } from '../../context.ts';
import { diffLines } from '../../edit/index.ts';
import { pageAt } from '../../service/page-at.ts';
import { newPageNameProblem, normalizePageName } from '../../pages/page-name.ts';
import { MAX_PAGE_BYTES, putPage } from '../../service/pages.ts';
import { chromeFor } from '../chrome.ts';
import { newPageText, normalizeText } from '../page-text.ts';
import { readForm } from '../form.ts';
import { HOME } from '../page-route.ts';
import { renderForBrowser } from '../render-page.ts';
import { htmlPage, seeOther } from '../respond.ts';
import { uiRequest, type UiContext } from '../ui-request.ts';
import { pageUrl, shortRevision } from '../urls.ts';
import { editView, type EditForm } from '../views/edit.ts';
import { readPageOrNull } from './view.ts';

/** GET `/<key>/edit[?revision=<rev>]` (a revision prefills the editor with that version's text). */
export async function editPage(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const restore = c.req.query('revision');
  const [page, chrome] = await Promise.all([readPageOrNull(ui, key), chromeFor(c, ui, { currentKey: key })]);
  const form: EditForm = { key, content: page?.content ?? newPageText(key), baseRevision: page?.revision ?? '', message: '', csrf: ui.csrf, exists: page !== null };
  const problem = page ? null : newPageNameProblem(key);
  if (problem) return htmlPage(editView(chrome, { ...form, error: problem.message }), 400);
  if (restore) {
    const at = await pageAt(ui.repo, key, restore);
    if (!at) throw new AppError('not_found', `The page ${key} did not exist at revision ${restore}.`);
    form.content = at.content;
    form.restoredFrom = at.revision;
    form.message = `Restore ${key} to ${shortRevision(at.revision)}`;
  }
  return htmlPage(editView(chrome, form));
}

/** POST `/<key>/edit`: save (303 to the page), or show the server-side preview. */
export async function savePage(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const form = await readForm(c, ui);
  const content = normalizeText(form.text('content'));
  const base = form.text('revision').trim();
  const message = form.text('commit_message').trim();
  const state: EditForm = { key, content, baseRevision: base, message, csrf: ui.csrf, exists: base !== '' };
  if (form.text('action') === 'preview') {
    const [preview, chrome] = await Promise.all([renderForBrowser(ui.repo, content, key), chromeFor(c, ui, { currentKey: key })]);
    return htmlPage(editView(chrome, { ...state, preview }));
  }
  try {
    await putPage(ui.repo, c.env.APEX, key, {
      content,
      ...(base ? { baseRevision: base } : {}),
      message: message || (base ? `Update ${key}` : `Create ${key}`),
      author: authorOf(ui.caller, c.env.APEX),
    });
    return seeOther(pageUrl(key));
  } catch (err) {
    if (!(err instanceof AppError) || !['conflict', 'invalid', 'too_large'].includes(err.code)) throw err;
    const chrome = await chromeFor(c, ui, { currentKey: key });
    if (err.code !== 'conflict') return htmlPage(editView(chrome, { ...state, error: err.message }), err.status);
    const current = await readPageOrNull(ui, key);
    const currentText = current?.content ?? '';
    const explanation = current
      ? `The current version is revision ${shortRevision(current.revision)}, saved by ${current.updated_by}.`
      : 'The page was deleted meanwhile; saving creates it again.';
    return htmlPage(
      editView(chrome, {
        ...state,
        baseRevision: current?.revision ?? '',
        exists: current !== null,
        conflict: { message: explanation, current: currentText, diff: diffLines(currentText, content) },
      }),
      409,
    );
  }
}

/**
 * POST `/-/preview[?page=<key>]`: `{ html, toc, needs }` of the posted `content` (CSRF token in
 * `x-csrf-token` or `_csrf`), rendered as page `key` (where its `./` links lead; default Home).
 */
export async function livePreview(c: UiContext): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const form = await readForm(c, ui);
  const content = form.text('content');
  if (new TextEncoder().encode(content).byteLength > MAX_PAGE_BYTES) throw new AppError('too_large', `A page may be at most ${MAX_PAGE_BYTES} bytes.`);
  const page = normalizePageName(c.req.query('page') ?? HOME);
  const rendered = await renderForBrowser(ui.repo, content, page.ok ? page.key : HOME);
  return Response.json({ html: rendered.html, toc: rendered.toc, needs: rendered.needs }, { headers: { 'cache-control': 'no-store' } });
}
