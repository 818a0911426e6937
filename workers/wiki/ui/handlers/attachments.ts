/**
 * `/<page>/attachments` (list; POST multipart upload), `POST
 * /<page>/attachments/delete`, and `/<page>/a/<file>` (download, served so
 * that it can never run script on the wiki's origin).
 */
import { AppError } from '../../../lib/errors.ts';
import { attachmentResponse } from '../../api/attachment-response.ts';
import { authorOf } from '../../context.ts';
import { deleteAttachment, listAttachments, MAX_ATTACHMENT_BYTES, putAttachment, readAttachment } from '../../service/attachments.ts';
import { chromeFor } from '../chrome.ts';
import { formatBytes } from '../format.ts';
import { readForm } from '../form.ts';
import { htmlPage, seeOther } from '../respond.ts';
import { uiRequest, type UiContext, type UiRequest } from '../ui-request.ts';
import { pageUrl } from '../urls.ts';
import { attachmentsView } from '../views/attachments.ts';

async function listPage(c: UiContext, ui: UiRequest, key: string, error?: string, status = 200): Promise<Response> {
  const [files, chrome] = await Promise.all([listAttachments(ui.repo, key), chromeFor(c, ui, { currentKey: key })]);
  return htmlPage(attachmentsView(chrome, { key, files, csrf: ui.csrf, maxBytes: MAX_ATTACHMENT_BYTES, ...(error ? { error } : {}) }), status);
}

/** GET `/<key>/attachments`. */
export async function attachmentsPage(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  return listPage(c, ui, key);
}

/** POST `/<key>/attachments`: uploads each `file` (one commit each), then 303 back to the list. */
export async function uploadAttachments(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const form = await readForm(c, ui);
  const files = form.files('file');
  if (files.length === 0) return listPage(c, ui, key, 'Choose at least one file to upload.', 400);
  const big = files.find((f) => f.size > MAX_ATTACHMENT_BYTES);
  if (big) return listPage(c, ui, key, `${big.name} is ${formatBytes(big.size)}; an attachment may be at most ${formatBytes(MAX_ATTACHMENT_BYTES)}.`, 413);
  try {
    for (const file of files) {
      await putAttachment(ui.repo, c.env.APEX, key, { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()), author: authorOf(ui.caller, c.env.APEX) });
    }
  } catch (err) {
    if (!(err instanceof AppError) || !['invalid', 'too_large', 'conflict'].includes(err.code)) throw err;
    return listPage(c, ui, key, err.message, err.status);
  }
  return seeOther(pageUrl(key, 'attachments'));
}

/** POST `/<key>/attachments/delete` (`name`): 303 back to the list. */
export async function deleteAttachmentAction(c: UiContext, key: string): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  const form = await readForm(c, ui);
  const name = form.text('name');
  if (!name) throw new AppError('invalid', 'Which attachment? The form named none.');
  await deleteAttachment(ui.repo, c.env.APEX, key, name, { author: authorOf(ui.caller, c.env.APEX) });
  return seeOther(pageUrl(key, 'attachments'));
}

/** GET `/<key>/a/<name>`: the file, sandboxed (see attachmentResponse). */
export async function downloadAttachment(c: UiContext, key: string, name: string): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const file = await readAttachment(ui.repo, key, name);
  return attachmentResponse(file.bytes, file.filename, file.mime_type);
}
