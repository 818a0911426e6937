/**
 * Meaning-based search in the wiki's browser UI:
 *
 * - `/-/search?by=meaning&q=`: whole passages ranked by meaning and words,
 *   each linking to its section; keyword results with a notice when
 *   meaning-based search is off or not ready (the keyword page is the UI's own);
 * - `/-/semantic`: the index's state (provider, model, counts, failures) with a
 *   progress bar while the wiki is being (re)indexed, and, for writers, a
 *   button that re-embeds the whole wiki (`POST /-/semantic/reindex`).
 *
 * Mounted before the UI sub-app; responses get the UI's security headers and
 * error pages. Server-rendered, no script: while a reindex runs the status
 * page refreshes itself every few seconds (a meta refresh, allowed by the CSP).
 */
import { Hono, type Next } from 'hono';
import { AppError } from '../../lib/errors.ts';
import { slugify } from '../render/slugify.ts';
import { chromeFor } from '../ui/chrome.ts';
import { uiErrorResponse } from '../ui/errors.ts';
import { readForm } from '../ui/form.ts';
import { htmlPage, seeOther } from '../ui/respond.ts';
import { withUiHeaders } from '../ui/security-headers.ts';
import { html, nothing, type Html } from '../ui/template.ts';
import { uiRequest, type UiContext, type UiEnv } from '../ui/ui-request.ts';
import { pageUrl, specialUrl } from '../ui/urls.ts';
import { layout } from '../ui/views/layout.ts';
import { csrfField, notice } from '../ui/views/parts.ts';
import { searchByMeaning, type MeaningAnswer } from './answer.ts';
import { drainSoon, providerFor } from './runner.ts';
import { reindexWiki, semanticStatus, type SemanticStatus } from './status.ts';
import type { Chrome } from '../ui/chrome.ts';

export const STATUS_PATH = '/-/semantic';
const REINDEX_PATH = '/-/semantic/reindex';
/** Passages on the search page. */
const RESULTS = 10;

async function guarded(c: UiContext, handle: () => Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    response = await handle();
  } catch (err) {
    response = await uiErrorResponse(err, c);
  }
  return withUiHeaders(response);
}

function searchForm(query: string, by: 'words' | 'meaning'): Html {
  const option = (value: 'words' | 'meaning', label: string) =>
    html`<label class="search-by"><input type="radio" name="by" value="${value}"${by === value ? html` checked` : nothing}> ${label}</label>`;
  return html`<form method="get" action="${specialUrl('search')}" class="search-form" role="search">
  <label for="search-q" class="visually-hidden">Search for</label>
  <input id="search-q" type="search" name="q" value="${query}" maxlength="500" placeholder="Describe what you are looking for">
  <button type="submit" class="primary">Search</button>
  <span class="search-modes">${option('words', 'by words')} ${option('meaning', 'by meaning')}</span>
</form>`;
}

/** A passage's text as paragraphs (it is Markdown source; shown as text). */
function passage(text: string): Html[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => html`<p class="snippet">${p}</p>`);
}

function resultsView(a: MeaningAnswer): Html {
  if (a.mode === 'keyword') {
    const hits = a.results.map(
      (h) => html`<li class="search-hit">
  <a class="hit-title" href="${pageUrl(h.path)}">${h.title}</a> <span class="muted hit-path">${h.path}</span>
  ${h.snippet ? html`<p class="snippet">${h.snippet}</p>` : nothing}
</li>`,
    );
    return html`${notice('info', html`<p>${a.notice}</p>`)}
${a.results.length ? html`<p class="muted">${a.total} ${a.total === 1 ? 'page matches' : 'pages match'} these words.</p><ol class="search-results">${hits}</ol>` : html`<p>No page matches <strong>${a.query}</strong>.</p>`}`;
  }
  const hits = a.results.map((h) => {
    const heading = h.section.split(' > ').at(-1) ?? '';
    const href = `${pageUrl(h.path)}${heading ? `#${slugify(heading)}` : ''}`;
    return html`<li class="search-hit">
  <a class="hit-title" href="${href}">${h.title}</a>${h.section ? html` <span class="hit-section">› ${h.section}</span>` : nothing}
  <span class="muted hit-path">${h.path} · score ${h.score.toFixed(2)}${h.similarity !== null ? ` · similarity ${h.similarity.toFixed(2)}` : ''} · passage ${h.chunkIndex + 1} of ${h.chunkCount}</span>
  ${passage(h.text)}
</li>`;
  });
  return html`${a.notice ? notice('info', html`<p>${a.notice}</p>`) : nothing}
${a.results.length ? html`<ol class="search-results">${hits}</ol>` : html`<p>Nothing close enough in meaning to <strong>${a.query}</strong>. Try other words, or <a href="${specialUrl('search', { q: a.query })}">search by words</a>.</p>`}`;
}

/** GET `/-/search?by=meaning&q=`. */
async function meaningSearchPage(c: UiContext): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const query = (c.req.query('q') ?? '').trim().slice(0, 500);
  const chrome = await chromeFor(c, ui, { query });
  let results: Html = nothing;
  let status = 200;
  if (query) {
    try {
      results = resultsView(await searchByMeaning(ui.repo, providerFor(c.env), ui.wiki.id, query, { n: RESULTS, maxChunksPerPage: 2 }));
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid') throw err;
      results = notice('error', html`<p>${err.message}</p>`);
      status = 400;
    }
  }
  const body = html`<h1>Search by meaning</h1>
${searchForm(query, 'meaning')}
<p class="muted">Finds passages about what you describe, even in other words; keyword matches rank higher. <a href="${STATUS_PATH}">Index status</a></p>
${results}`;
  return htmlPage(layout({ title: query ? `Search by meaning: ${query}` : 'Search by meaning', chrome: { ...chrome, query }, body }), status);
}

function statusView(chrome: Chrome, s: SemanticStatus, options: { canWrite: boolean; csrf: string; message?: string }): Html {
  const r = s.reindex;
  const running = s.status === 'in_progress';
  const progress = r
    ? html`<div class="form-row">
  <label for="semantic-progress">${running ? 'Indexing' : 'Last full index'}: ${r.done} of ${r.total} pages${r.completed_at ? html`, finished ${r.completed_at.slice(0, 16).replace('T', ' ')} UTC` : nothing}</label>
  <progress id="semantic-progress" value="${String(r.done)}" max="${String(Math.max(1, r.total))}">${Math.round(r.progress * 100)}%</progress>
</div>`
    : nothing;
  const state =
    s.status === 'off'
      ? notice('info', html`<p>Meaning-based search is off: this wiki farm has no embedding provider configured. Its operator turns it on with <code>EMBEDDINGS_URL</code> and <code>EMBEDDINGS_MODEL</code> (see the README). Search by words works as always.</p>`)
      : running
        ? notice('info', html`<p>The wiki is being indexed for search by meaning. This page refreshes itself.</p>`)
        : notice('success', html`<p>Search by meaning is on and current${s.queued ? html` (${s.queued} ${s.queued === 1 ? 'page' : 'pages'} waiting)` : nothing}.</p>`);
  const facts = s.enabled
    ? html`<dl class="facts">
  <dt>Model</dt><dd>${s.model} (${s.provider}${s.dimensions ? `, ${s.dimensions} dimensions` : ''})</dd>
  <dt>Pages</dt><dd>${s.pages}</dd>
  <dt>Passages indexed</dt><dd>${s.chunks}</dd>
  <dt>Waiting</dt><dd>${s.queued}${s.failing ? ` (${s.failing} failed at least once and will be tried again)` : ''}</dd>
  ${s.last_error ? html`<dt>Last error</dt><dd>${s.last_error}</dd>` : nothing}
</dl>`
    : nothing;
  const action =
    s.enabled && options.canWrite && !running
      ? html`<form method="post" action="${REINDEX_PATH}" class="stacked-form">
  ${csrfField(options.csrf)}
  <p class="hint">Reindexing embeds every page again. Pages stay searchable meanwhile.</p>
  <div class="form-actions"><button type="submit">Reindex the whole wiki</button></div>
</form>`
      : nothing;
  const body = html`${running ? html`<meta http-equiv="refresh" content="3">` : nothing}<h1>Search by meaning</h1>
${options.message ? notice('error', html`<p>${options.message}</p>`) : nothing}
${state}
${progress}
${facts}
${action}
<p><a href="${specialUrl('search', { by: 'meaning' } as Record<string, string>)}">Search by meaning</a></p>`;
  return layout({ title: 'Search by meaning: status', chrome, body });
}

/** GET `/-/semantic`. */
async function statusPage(c: UiContext): Promise<Response> {
  const ui = await uiRequest(c, 'read');
  const [status, chrome] = await Promise.all([semanticStatus(ui.repo.db, providerFor(c.env), ui.wiki.id), chromeFor(c, ui)]);
  return htmlPage(statusView(chrome, status, { canWrite: ui.canWrite, csrf: ui.csrf }));
}

/** POST `/-/semantic/reindex`: starts a whole-wiki reindex, then 303 to the status page (409/503 shown on it). */
async function reindexAction(c: UiContext): Promise<Response> {
  const ui = await uiRequest(c, 'write');
  await readForm(c, ui);
  const provider = providerFor(c.env);
  if (!provider) throw new AppError('unavailable', 'Meaning-based search is off: no embedding provider is configured.');
  try {
    await reindexWiki(ui.repo.db, provider, ui.wiki.id);
  } catch (err) {
    if (!(err instanceof AppError) || !['conflict', 'unavailable'].includes(err.code)) throw err;
    const [status, chrome] = await Promise.all([semanticStatus(ui.repo.db, provider, ui.wiki.id), chromeFor(c, ui)]);
    return htmlPage(statusView(chrome, status, { canWrite: ui.canWrite, csrf: ui.csrf, message: err.message }), err.status);
  }
  drainSoon(c.env);
  return seeOther(STATUS_PATH);
}

export const semanticUi = new Hono<UiEnv>();
semanticUi.get(STATUS_PATH, (c) => guarded(c, () => statusPage(c)));
semanticUi.post(REINDEX_PATH, (c) => guarded(c, () => reindexAction(c)));
semanticUi.get('/-/search', (c, next: Next) => (c.req.query('by') === 'meaning' ? guarded(c, () => meaningSearchPage(c)) : next()));
