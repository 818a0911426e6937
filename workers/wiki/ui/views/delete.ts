/** Deleting a page: a confirmation naming what goes with it. */
import { displayTitle } from '../../pages/page-files.ts';
import type { Chrome } from '../chrome.ts';
import { html, nothing, type Html } from '../template.ts';
import { pageUrl } from '../urls.ts';
import { layout } from './layout.ts';
import { breadcrumbs, csrfField, notice, pageTabs } from './parts.ts';

/** The delete confirmation's state. */
export interface DeleteForm {
  key: string;
  baseRevision: string;
  csrf: string;
  attachments: string[];
  linkedFrom: string[];
  error?: string;
}

/** The delete confirmation page. */
export function deleteView(chrome: Chrome, f: DeleteForm): Html {
  const files = f.attachments.length
    ? html`<p>Its ${f.attachments.length === 1 ? 'attachment' : `${f.attachments.length} attachments`} will be deleted too: ${f.attachments.join(', ')}.</p>`
    : nothing;
  const links = f.linkedFrom.length
    ? html`<p>${f.linkedFrom.length === 1 ? 'One page links' : `${f.linkedFrom.length} pages link`} to it; those links will show as missing.</p>`
    : nothing;
  const body = html`${breadcrumbs(f.key)}
${pageTabs(f.key, 'delete', chrome.canWrite)}
<h1>Delete ${displayTitle(f.key)}?</h1>
${f.error ? notice('error', html`<p>${f.error}</p>`) : nothing}
<p>The page disappears from the wiki; its history keeps every version, and it can be restored from there.</p>
${files}
${links}
<form method="post" action="${pageUrl(f.key, 'delete')}" class="stacked-form">
  ${csrfField(f.csrf)}
  <input type="hidden" name="revision" value="${f.baseRevision}">
  <div class="form-row">
    <label for="delete-message">Commit message</label>
    <input id="delete-message" type="text" name="commit_message" value="" maxlength="2000" placeholder="Delete ${f.key}">
  </div>
  <div class="form-actions"><button type="submit" class="danger">Delete the page</button> <a href="${pageUrl(f.key)}">Cancel</a></div>
</form>`;
  return layout({ title: `Delete ${displayTitle(f.key)}`, chrome, body });
}
