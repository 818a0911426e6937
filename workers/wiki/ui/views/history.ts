/** A page's history: every revision, newest first, with two to compare. */
import { displayTitle } from '../../pages/page-files.ts';
import type { HistoryEntry } from '../../service/pages.ts';
import type { Chrome } from '../chrome.ts';
import { html, type Html } from '../template.ts';
import { pageUrl, revisionUrl, shortRevision } from '../urls.ts';
import { layout } from './layout.ts';
import { breadcrumbs, changeAuthor, pageTabs, time } from './parts.ts';

const CHANGE_LABEL: Record<string, string> = { added: 'created', modified: 'edited', deleted: 'deleted' };

/** The history page; `exists` tells whether the page exists now. */
export function historyView(chrome: Chrome, key: string, entries: readonly HistoryEntry[], exists: boolean, limited: boolean): Html {
  const rows = entries.map((e, i) => {
    const deleted = e.change === 'deleted';
    return html`<tr>
      <td class="pick"><input type="radio" name="from" value="${e.revision}" aria-label="Compare from ${shortRevision(e.revision)}"${i === 1 ? ' checked' : ''}></td>
      <td class="pick"><input type="radio" name="to" value="${e.revision}" aria-label="Compare to ${shortRevision(e.revision)}"${i === 0 ? ' checked' : ''}></td>
      <td><code>${deleted ? shortRevision(e.revision) : html`<a href="${revisionUrl(key, e.revision)}">${shortRevision(e.revision)}</a>`}</code></td>
      <td>${time(e.date)}</td>
      <td>${changeAuthor(e)}</td>
      <td><span class="change change-${e.change}">${CHANGE_LABEL[e.change] ?? e.change}</span> ${e.message}</td>
    </tr>`;
  });
  const compare = entries.length >= 2 ? html`<div class="form-actions"><button type="submit" class="primary">Compare selected revisions</button></div>` : html``;
  const body = html`${breadcrumbs(key)}
${pageTabs(key, 'history', chrome.canWrite, exists)}
<h1>History of ${displayTitle(key)}</h1>
${exists ? html`<p class="history-links"><a href="${pageUrl(key, 'blame')}">Blame</a>: which change last touched each line.</p>` : html``}
<form method="get" action="${pageUrl(key, 'diff')}" class="history-form">
  <div class="table-wrap">
  <table class="history">
    <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Revision</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Change</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
  </div>
  ${compare}
</form>
${limited ? html`<p class="muted">Only the latest ${entries.length} revisions are listed.</p>` : html``}`;
  return layout({ title: `History of ${displayTitle(key)}`, chrome, body });
}
