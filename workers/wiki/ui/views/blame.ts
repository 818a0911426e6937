/** `/<page>/blame`: each line of a page with the change that last touched it. */
import { displayTitle } from '../../pages/page-files.ts';
import { MAX_BLAME_REVISIONS, type BlameCommit, type PageBlame } from '../../service/blame.ts';
import type { Chrome } from '../chrome.ts';
import { html, nothing, type Html } from '../template.ts';
import { pageUrl, revisionUrl, shortRevision } from '../urls.ts';
import { layout } from './layout.ts';
import { breadcrumbs, notice, pageTabs, time } from './parts.ts';

function firstLine(message: string): string {
  const line = message.trim().split('\n', 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** The blame view of page `key`; `asked` is the revision asked for in the address, if any. */
export function blameView(chrome: Chrome, key: string, blame: PageBlame, asked: string | undefined): Html {
  const commits = new Map<string, BlameCommit>(blame.commits.map((c) => [c.revision, c]));
  const rows = blame.lines.map((l, i) => {
    const commit = commits.get(l.revision)!;
    const previous = blame.lines[i - 1];
    const continued = previous !== undefined && previous.revision === l.revision && previous.older === l.older;
    const origin = continued
      ? html`<td class="blame-commit"></td><td class="blame-who"></td><td class="blame-when"></td>`
      : html`<td class="blame-commit"><code><a href="${revisionUrl(key, l.revision)}" title="${commit.message}">${shortRevision(l.revision)}</a></code>${l.older ? html` <span class="muted small">or older</span>` : nothing}<div class="muted small blame-message">${firstLine(commit.message)}</div></td>
<td class="blame-who">${commit.author}</td><td class="blame-when">${time(commit.date)}</td>`;
    return html`<tr class="${continued ? 'blame-continued' : 'blame-start'}" id="L${l.line}">${origin}<td class="blame-number"><a href="#L${l.line}">${l.line}</a></td><td class="blame-line"><code>${l.text}</code></td></tr>`;
  });
  const more = blame.compared < MAX_BLAME_REVISIONS
    ? html` <a href="${pageUrl(key, 'blame')}?${new URLSearchParams({ ...(asked ? { revision: asked } : {}), limit: String(MAX_BLAME_REVISIONS) }).toString()}">Compare up to ${MAX_BLAME_REVISIONS} revisions</a>.`
    : nothing;
  const incomplete = blame.complete
    ? nothing
    : notice('info', html`<p>Only the latest ${blame.compared} revisions were compared: lines marked <em>or older</em> have not changed since that revision, and may be older still.${more}</p>`);
  const at = asked ? html`<p class="muted">As of revision <code>${shortRevision(blame.revision)}</code>. <a href="${pageUrl(key, 'blame')}">Blame the current version</a>.</p>` : nothing;
  const body = html`${breadcrumbs(key)}
${pageTabs(key, 'history', chrome.canWrite, true)}
<h1>Blame of ${displayTitle(key)}</h1>
${at}
${incomplete}
${blame.lines.length
    ? html`<div class="table-wrap"><table class="blame">
  <thead><tr><th scope="col">Revision</th><th scope="col">Who</th><th scope="col">When</th><th scope="col">Line</th><th scope="col">Text</th></tr></thead>
  <tbody>${rows}</tbody>
</table></div>`
    : html`<p class="muted">This version of the page is empty.</p>`}`;
  return layout({ title: `Blame of ${displayTitle(key)}`, chrome, body });
}
