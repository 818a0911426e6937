/** A page's attachments: the list (with image thumbnails), upload and delete for writers. */
import { displayTitle } from '../../pages/page-files.ts';
import type { AttachmentSummary } from '../../service/attachments.ts';
import type { Chrome } from '../chrome.ts';
import { formatBytes } from '../format.ts';
import { html, nothing, type Html } from '../template.ts';
import { attachmentUrl, pageUrl } from '../urls.ts';
import { layout } from './layout.ts';
import { breadcrumbs, csrfField, notice, pageTabs, time } from './parts.ts';

/** Types shown as thumbnails (the attachment response serves them inline). */
const IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/** The attachments page's state. */
export interface AttachmentsPage {
  key: string;
  files: AttachmentSummary[];
  csrf: string;
  maxBytes: number;
  error?: string;
}

/** The attachments page. */
export function attachmentsView(chrome: Chrome, p: AttachmentsPage): Html {
  const rows = p.files.map((f) => {
    const href = attachmentUrl(p.key, f.filename);
    const del = chrome.canWrite
      ? html`<form method="post" action="${pageUrl(p.key)}/attachments/delete" class="inline-form">
          ${csrfField(p.csrf)}<input type="hidden" name="name" value="${f.filename}">
          <button type="submit" class="danger small" aria-label="Delete ${f.filename}">Delete</button>
        </form>`
      : nothing;
    return html`<tr>
      <td class="thumb">${IMAGES.has(f.mime_type) ? html`<img src="${href}" alt="" loading="lazy">` : nothing}</td>
      <td><a href="${href}">${f.filename}</a><br><code class="embed-hint">${IMAGES.has(f.mime_type) ? '!' : ''}[${f.filename}](${href})</code></td>
      <td>${formatBytes(f.size)}</td>
      <td>${time(f.updated_at)}</td>
      <td>${del}</td>
    </tr>`;
  });
  const list = p.files.length
    ? html`<div class="table-wrap"><table class="attachments"><thead><tr><th scope="col"><span class="visually-hidden">Preview</span></th><th scope="col">File</th><th scope="col">Size</th><th scope="col">Changed</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="muted">This page has no attachments.</p>`;
  const upload = chrome.canWrite
    ? html`<form method="post" action="${pageUrl(p.key, 'attachments')}" enctype="multipart/form-data" class="stacked-form upload-form">
        ${csrfField(p.csrf)}
        <div class="form-row">
          <label for="upload-file">Upload files (at most ${formatBytes(p.maxBytes)} each)</label>
          <input id="upload-file" type="file" name="file" multiple required>
        </div>
        <div class="form-actions"><button type="submit" class="primary">Upload</button></div>
      </form>`
    : nothing;
  const body = html`${breadcrumbs(p.key)}
${pageTabs(p.key, 'attachments', chrome.canWrite)}
<h1>Attachments of ${displayTitle(p.key)}</h1>
${p.error ? notice('error', html`<p>${p.error}</p>`) : nothing}
${list}
${upload}`;
  return layout({ title: `Attachments of ${displayTitle(p.key)}`, chrome, body });
}
