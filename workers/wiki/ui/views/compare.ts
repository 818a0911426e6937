/** The changes to a page between two revisions. */
import type { DiffHunk } from '../../edit/index.ts';
import { displayTitle } from '../../pages/page-files.ts';
import type { PageAtRevision } from '../../service/page-at.ts';
import type { Chrome } from '../chrome.ts';
import { html, type Html } from '../template.ts';
import { revisionUrl, shortRevision } from '../urls.ts';
import { diffTable } from './diff.ts';
import { layout } from './layout.ts';
import { breadcrumbs, pageTabs, time } from './parts.ts';

/** One side of the comparison: the revision asked for and the page then (null: the page did not exist). */
export interface Side {
  revision: string | null;
  page: PageAtRevision | null;
}

function describe(key: string, side: Side): Html {
  if (!side.revision) return html`<span class="muted">(nothing: the page's beginning)</span>`;
  if (!side.page) return html`<code>${shortRevision(side.revision)}</code> <span class="muted">(the page did not exist)</span>`;
  return html`<a href="${revisionUrl(key, side.page.revision)}"><code>${shortRevision(side.page.revision)}</code></a> ${time(side.page.date)} by ${side.page.author}: ${side.page.message}`;
}

/** The diff page. */
export function compareView(chrome: Chrome, key: string, from: Side, to: Side, hunks: readonly DiffHunk[], exists: boolean): Html {
  const body = html`${breadcrumbs(key)}
${pageTabs(key, 'diff', chrome.canWrite, exists)}
<h1>Changes to ${displayTitle(key)}</h1>
<dl class="compare-sides">
  <dt>From</dt><dd>${describe(key, from)}</dd>
  <dt>To</dt><dd>${describe(key, to)}</dd>
</dl>
${diffTable(hunks)}`;
  return layout({ title: `Changes to ${displayTitle(key)}`, chrome, body });
}
