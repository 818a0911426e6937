/**
 * The editor: a plain form that works without JavaScript (Save, and a
 * Preview button rendered by the server); editor.js adds a live preview.
 * A conflict shows the current text and what differs from the user's.
 */
import type { DiffHunk } from '../../edit/index.ts';
import { displayTitle } from '../../pages/page-files.ts';
import type { RenderResult } from '../../render/index.ts';
import type { Chrome } from '../chrome.ts';
import { html, nothing, trusted, type Html } from '../template.ts';
import { pageUrl, shortRevision, specialUrl } from '../urls.ts';
import { diffTable } from './diff.ts';
import { layout } from './layout.ts';
import { breadcrumbs, csrfField, notice, pageTabs } from './parts.ts';

/** Someone saved the page since the form was loaded. */
export interface EditConflict {
  message: string;
  /** The page's text now ('' when it was deleted meanwhile). */
  current: string;
  /** From the current text to the user's. */
  diff: DiffHunk[];
}

/** Everything the edit form shows. */
export interface EditForm {
  key: string;
  content: string;
  /** The revision the text is based on; '' for a new page. */
  baseRevision: string;
  message: string;
  csrf: string;
  exists: boolean;
  /** Shown when the text was restored from an older revision. */
  restoredFrom?: string;
  preview?: RenderResult;
  conflict?: EditConflict;
  error?: string;
}

function conflictBlock(key: string, conflict: EditConflict): Html {
  return html`${notice('error', html`<p><strong>Not saved: someone changed this page while you were editing.</strong> ${conflict.message}</p>
<p>Your text is still in the editor below. Compare it with the current version, merge what you need, then save again (saving now replaces the current version).</p>`)}
<section class="conflict">
  <h2>What differs: current version → your text</h2>
  ${diffTable(conflict.diff)}
  <details><summary>The current text of ${displayTitle(key)}</summary><pre class="source">${conflict.current}</pre></details>
</section>`;
}

/** The edit page. */
export function editView(chrome: Chrome, f: EditForm): Html {
  const title = f.exists ? `Edit ${displayTitle(f.key)}` : `Create ${displayTitle(f.key)}`;
  const preview = f.preview
    ? trusted(f.preview.html)
    : html`<p class="muted">The preview appears here as you type, or when you press Preview.</p>`;
  const body = html`${breadcrumbs(f.key)}
${pageTabs(f.key, 'edit', chrome.canWrite, f.exists)}
<h1>${title}</h1>
${f.error ? notice('error', html`<p>${f.error}</p>`) : nothing}
${f.restoredFrom ? notice('info', html`<p>This is the text of revision ${shortRevision(f.restoredFrom)}. Saving it makes it the current version.</p>`) : nothing}
${f.conflict ? conflictBlock(f.key, f.conflict) : nothing}
<form class="editor" method="post" action="${pageUrl(f.key, 'edit')}" data-preview-url="${specialUrl('preview', { page: f.key })}">
  ${csrfField(f.csrf)}
  <input type="hidden" name="revision" value="${f.baseRevision}">
  <div class="editor-panes">
    <div class="editor-pane">
      <label for="editor-content">Markdown</label>
      <textarea id="editor-content" name="content" rows="24" spellcheck="true" autocapitalize="sentences">
${f.content}</textarea>
    </div>
    <section class="preview-pane" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <div class="markdown preview" id="editor-preview" aria-live="polite">${preview}</div>
    </section>
  </div>
  <div class="form-row">
    <label for="editor-message">Commit message</label>
    <input id="editor-message" type="text" name="commit_message" value="${f.message}" maxlength="2000" placeholder="${f.exists ? `Update ${f.key}` : `Create ${f.key}`}">
  </div>
  <div class="form-actions">
    <button type="submit" name="action" value="save" class="primary">Save</button>
    <button type="submit" name="action" value="preview">Preview</button>
    <a href="${pageUrl(f.key)}">Cancel</a>
  </div>
</form>`;
  return layout({ title, chrome, body, scripts: ['editor.js', 'extras.js'] });
}
