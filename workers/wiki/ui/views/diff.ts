/** Line diffs as HTML tables: old and new line numbers, removed and added lines marked, text escaped. */
import type { DiffHunk } from '../../edit/index.ts';
import { html, type Html } from '../template.ts';

const SIGN = { context: ' ', added: '+', removed: '−' } as const;

/** The hunks of a diff as one table; a note when there is no difference. */
export function diffTable(hunks: readonly DiffHunk[]): Html {
  if (hunks.length === 0) return html`<p class="muted diff-empty">No differences.</p>`;
  const rows = hunks.map((h) => {
    const head = html`<tr class="diff-hunk"><td colspan="3">@@ −${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@</td></tr>`;
    const lines = h.lines.map(
      (l) => html`<tr class="diff-${l.kind}"><td class="ln">${l.oldLine ?? ''}</td><td class="ln">${l.newLine ?? ''}</td><td class="code"><span class="sign" aria-hidden="true">${SIGN[l.kind]}</span>${l.kind === 'added' ? html`<ins>${l.text}</ins>` : l.kind === 'removed' ? html`<del>${l.text}</del>` : l.text}</td></tr>`,
    );
    return html`${head}${lines}`;
  });
  return html`<div class="diff-wrap"><table class="diff"><thead><tr><th scope="col">Old</th><th scope="col">New</th><th scope="col">Text</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}
