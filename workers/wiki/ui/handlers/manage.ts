/** Renaming (`/<page>/rename`) and deleting (`/<page>/delete`) a page: a form, then a POST that redirects. */
import { AppError } from '../../../lib/errors.ts';
import { authorOf } from '../../context.ts';
import { pageKeyOrThrow } from '../../pages/page-name.ts';
import { listAttachments } from '../../service/attachments.ts';
import { deletePage } from '../../service/delete-page.ts';
import { renamePage } from '../../service/rename.ts';
import { chromeFor } from '../chrome.ts';
import { readForm } from '../form.ts';
import { htmlPage, seeOther } from '../respond.ts';
import { uiRequest, type UiContext, type UiRequest } from '../ui-request.ts';
import { pageUrl } from '../urls.ts';
import { deleteView } from '../views/delete.ts';
import { renameView, type RenameForm } from '../views/rename.ts';
import { readPageOrNull } from './view.ts';

async function existingPage(ui: UiRequest, key: string): Promise<{ revision: string; linkedFrom: string[] }> {
  const page = await readPageOrNull(ui, key);
  if (!page) throw new AppError('not_found', `Page not found: ${key}`);
  return { revision: page.revision, linkedFrom: page.linked_from };
}

/** GET `/<key>/rename`. */
export async function renameForm(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const [page, chrome] = await Promise.all([existingPage(ui, key), chromeFor(c, ui, { currentKey: key })]);
  return htmlPage(renameView(chrome, { key, newName: key, message: '', baseRevision: page.revision, csrf: ui.csrf, linkedFrom: page.linkedFrom }));
}

/** POST `/<key>/rename` (`new_name`): 303 to the page under its new name. */
export async function renameAction(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const form = await readForm(c, ui);
  const newName = form.text('new_name');
  const message = form.text('commit_message').trim();
  const base = form.text('revision').trim();
  try {
    const newKey = pageKeyOrThrow(newName);
    await renamePage(ui.repo, c.env.APEX, key, newKey, {
      author: authorOf(ui.caller, c.env.APEX),
      ...(message ? { message } : {}),
      ...(base ? { baseRevision: base } : {}),
    });
    return seeOther(pageUrl(newKey));
  } catch (err) {
    if (!(err instanceof AppError) || !['invalid', 'conflict'].includes(err.code)) throw err;
    const [page, chrome] = await Promise.all([existingPage(ui, key), chromeFor(c, ui, { currentKey: key })]);
    const state: RenameForm = { key, newName, message, baseRevision: page.revision, csrf: ui.csrf, linkedFrom: page.linkedFrom, error: err.message };
    return htmlPage(renameView(chrome, state), err.status);
  }
}

/** GET `/<key>/delete`: the confirmation. */
export async function deleteForm(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const [page, files, chrome] = await Promise.all([existingPage(ui, key), listAttachments(ui.repo, key), chromeFor(c, ui, { currentKey: key })]);
  return htmlPage(deleteView(chrome, { key, baseRevision: page.revision, csrf: ui.csrf, attachments: files.map((f) => f.filename), linkedFrom: page.linkedFrom }));
}

/** POST `/<key>/delete`: deletes the page and its attachments, then 303 to the home page. */
export async function deleteAction(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const form = await readForm(c, ui);
  const message = form.text('commit_message').trim();
  const base = form.text('revision').trim();
  await deletePage(ui.repo, c.env.APEX, key, {
    author: authorOf(ui.caller, c.env.APEX),
    ...(message ? { message } : {}),
    ...(base ? { baseRevision: base } : {}),
  });
  return seeOther('/');
}
