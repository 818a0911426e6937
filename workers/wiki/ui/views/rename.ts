/** Renaming a page: the new name, and which pages' links will follow. */
import { displayTitle } from '../../pages/page-files.ts';
import type { Chrome } from '../chrome.ts';
import { html, nothing, type Html } from '../template.ts';
import { pageUrl } from '../urls.ts';
import { layout } from './layout.ts';
import { breadcrumbs, csrfField, notice, pageTabs } from './parts.ts';

/** The rename form's state. */
export interface RenameForm {
  key: string;
  newName: string;
  message: string;
  baseRevision: string;
  csrf: string;
  linkedFrom: string[];
  error?: string;
}

/** The rename page. */
export function renameView(chrome: Chrome, f: RenameForm): Html {
  const linking = f.linkedFrom.length
    ? html`<p>Links to it in ${f.linkedFrom.length === 1 ? 'this page' : `these ${f.linkedFrom.length} pages`} will be changed to the new name in the same commit: ${f.linkedFrom.map((k, i) => html`${i ? ', ' : ''}<a href="${pageUrl(k)}">${displayTitle(k)}</a>`)}.</p>`
    : html`<p class="muted">No other page links to it.</p>`;
  const body = html`${breadcrumbs(f.key)}
${pageTabs(f.key, 'rename', chrome.canWrite)}
<h1>Rename ${displayTitle(f.key)}</h1>
${f.error ? notice('error', html`<p>${f.error}</p>`) : nothing}
<p>The page, its attachments and its history move to the new name.</p>
${linking}
<form method="post" action="${pageUrl(f.key, 'rename')}" class="stacked-form">
  ${csrfField(f.csrf)}
  <input type="hidden" name="revision" value="${f.baseRevision}">
  <div class="form-row">
    <label for="rename-name">New name</label>
    <input id="rename-name" type="text" name="new_name" value="${f.newName}" required maxlength="512" autocomplete="off">
    <p class="hint">Use <code>/</code> for folders, e.g. <code>Projects/Plans</code>. Spaces become underscores.</p>
  </div>
  <div class="form-row">
    <label for="rename-message">Commit message</label>
    <input id="rename-message" type="text" name="commit_message" value="${f.message}" maxlength="2000">
  </div>
  <div class="form-actions"><button type="submit" class="primary">Rename</button> <a href="${pageUrl(f.key)}">Cancel</a></div>
</form>`;
  return layout({ title: `Rename ${displayTitle(f.key)}`, chrome, body });
}
