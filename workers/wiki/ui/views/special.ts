/** The wiki's own pages under `/-/`: the page index, recent changes, search and "new page". */
import { displayTitle } from '../../pages/page-files.ts';
import type { HistoryEntry } from '../../service/pages.ts';
import type { SearchHit } from '../../search/search-pages.ts';
import { snippetToHtml } from '../../search/snippet.ts';
import type { Chrome } from '../chrome.ts';
import { html, nothing, trusted, type Html } from '../template.ts';
import { diffUrl, feedUrl, pageUrl, shortRevision, specialUrl } from '../urls.ts';
import { layout } from './layout.ts';
import { changeAuthor, notice, time } from './parts.ts';
import { indexTree, type IndexedPage } from './tree.ts';

/** `/-/index`: every page as a tree; `next` continues after the last one shown. */
export function indexView(chrome: Chrome, pages: readonly IndexedPage[], next: string | null): Html {
  const body = html`<h1>Index</h1>
<p class="muted">${pages.length} ${pages.length === 1 ? 'page' : 'pages'}${next ? ' shown' : ''}.</p>
${indexTree(pages)}
${next ? html`<p><a href="${specialUrl('index', { after: next })}">More pages…</a></p>` : nothing}`;
  return layout({ title: 'Index', chrome, body });
}

/** `/-/changes`: the latest commits, newest first, with the pages each touched. */
export function changesView(chrome: Chrome, entries: readonly (HistoryEntry & { pages: string[] })[]): Html {
  const items = entries.map((e) => {
    const touched = e.pages.map(
      (k, i) => html`${i ? ', ' : ''}<a href="${pageUrl(k)}">${displayTitle(k)}</a> <a class="muted small" href="${diffUrl(k, e.revision)}" aria-label="Changes to ${k} in ${shortRevision(e.revision)}">(diff)</a>`,
    );
    return html`<li class="change-entry" id="${e.revision}">
      <div class="change-head">${time(e.date)} · <strong>${changeAuthor(e)}</strong> · <code>${shortRevision(e.revision)}</code></div>
      <div class="change-message">${e.message}</div>
      ${e.pages.length ? html`<div class="change-pages">${touched}</div>` : nothing}
    </li>`;
  });
  const body = html`<h1>Recent changes</h1>
<p class="muted small feeds">Follow them in a feed reader: <a href="${feedUrl('rss')}">RSS</a> · <a href="${feedUrl('atom')}">Atom</a></p>
${entries.length ? html`<ol class="changes">${items}</ol>` : html`<p class="muted">No changes yet.</p>`}`;
  return layout({ title: 'Recent changes', chrome, body });
}

/** What the search page shows. */
export interface SearchPage {
  query: string;
  hits: SearchHit[];
  total: number;
  offset: number;
  limit: number;
  error?: string;
}

/** `/-/search`: the form, and results with highlighted snippets. */
export function searchView(chrome: Chrome, s: SearchPage): Html {
  const results = s.hits.map(
    (h) => html`<li class="search-hit">
      <a class="hit-title" href="${pageUrl(h.path)}">${h.title}</a> <span class="muted hit-path">${h.path}</span>
      ${h.snippet ? html`<p class="snippet">${trusted(snippetToHtml(h.snippet))}</p>` : nothing}
    </li>`,
  );
  const paging: Html[] = [];
  if (s.offset > 0) paging.push(html`<a href="${specialUrl('search', { q: s.query, offset: String(Math.max(0, s.offset - s.limit)) })}">← Previous</a>`);
  if (s.offset + s.hits.length < s.total) paging.push(html`<a href="${specialUrl('search', { q: s.query, offset: String(s.offset + s.limit) })}">Next →</a>`);
  const summary = s.query
    ? s.total
      ? html`<p class="muted">${s.total} ${s.total === 1 ? 'page matches' : 'pages match'} <strong>${s.query}</strong>${s.total > s.hits.length ? html` (showing ${s.offset + 1}–${s.offset + s.hits.length})` : nothing}.</p>`
      : html`<p>No page matches <strong>${s.query}</strong>.</p>`
    : nothing;
  const body = html`<h1>Search</h1>
<form method="get" action="${specialUrl('search')}" class="search-form" role="search">
  <label for="search-q" class="visually-hidden">Search for</label>
  <input id="search-q" type="search" name="q" value="${s.query}" maxlength="500" placeholder="Words, &quot;a phrase&quot;, prefix*">
  <button type="submit" class="primary">Search</button>
  <span class="search-modes"><label class="search-by"><input type="radio" name="by" value="words" checked> by words</label> <label class="search-by"><input type="radio" name="by" value="meaning"> by meaning</label></span>
</form>
${s.error ? notice('error', html`<p>${s.error}</p>`) : nothing}
${summary}
${s.hits.length ? html`<ol class="search-results">${results}</ol>` : nothing}
${paging.length ? html`<nav class="paging" aria-label="Result pages">${paging}</nav>` : nothing}`;
  return layout({ title: s.query ? `Search: ${s.query}` : 'Search', chrome: { ...chrome, query: s.query }, body });
}

/** `/-/create`: asks for the new page's name. */
export function createView(chrome: Chrome, name: string, error?: string): Html {
  const body = html`<h1>New page</h1>
${error ? notice('error', html`<p>${error}</p>`) : nothing}
<form method="get" action="${specialUrl('create')}" class="stacked-form">
  <div class="form-row">
    <label for="create-name">Name of the new page</label>
    <input id="create-name" type="text" name="name" value="${name}" required maxlength="512" autofocus autocomplete="off">
    <p class="hint">Use <code>/</code> for folders, e.g. <code>Projects/Plans</code>. Spaces become underscores in the address. Names may not contain <code># ? : | $ . !</code> or <code>\\</code>.</p>
  </div>
  <div class="form-actions"><button type="submit" class="primary">Create</button></div>
</form>`;
  return layout({ title: 'New page', chrome, body });
}
