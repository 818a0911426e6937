/** A page as it is now: breadcrumbs, actions, the rendered text, "On this page", last change and backlinks. */
import { displayTitle } from '../../pages/page-files.ts';
import type { RenderResult, TocEntry } from '../../render/index.ts';
import type { Page } from '../../service/pages.ts';
import type { Chrome } from '../chrome.ts';
import { html, nothing, trusted, type Html } from '../template.ts';
import { pageUrl, revisionUrl, shortRevision } from '../urls.ts';
import { layout } from './layout.ts';
import { breadcrumbs, pageTabs, time } from './parts.ts';

/** The headings shown in "On this page": all but the H1 that titles the page. */
function tocEntries(rendered: RenderResult): TocEntry[] {
  const first = rendered.toc[0];
  const skipFirst = first !== undefined && first.level === 1 && first.text === rendered.title;
  return skipFirst ? rendered.toc.slice(1) : rendered.toc;
}

/** "On this page": the page's headings as in-page links; nothing for fewer than two. */
export function tableOfContents(rendered: RenderResult): Html {
  const entries = tocEntries(rendered);
  if (entries.length < 2) return nothing;
  const top = Math.min(...entries.map((e) => e.level));
  const items = entries.map((e) => html`<li class="toc-level-${Math.min(e.level - top + 1, 6)}"><a href="#${e.id}">${e.text}</a></li>`);
  return html`<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">On this page</h2><ul>${items}</ul></nav>`;
}

/** The rendered Markdown, with a title of its own when the page has no H1. */
export function renderedBody(key: string, rendered: RenderResult): Html {
  const title = rendered.title === null ? html`<h1 class="page-title">${displayTitle(key)}</h1>` : nothing;
  return html`<article class="markdown">${title}${trusted(rendered.html)}</article>`;
}

/** The view of an existing page. */
export function pageView(chrome: Chrome, key: string, page: Page, rendered: RenderResult): Html {
  const backlinks = page.linked_from.length
    ? html`<p class="backlinks">Linked from: ${page.linked_from.map((k, i) => html`${i ? ', ' : ''}<a href="${pageUrl(k)}">${displayTitle(k)}</a>`)}</p>`
    : nothing;
  const body = html`${breadcrumbs(key)}
${pageTabs(key, 'view', chrome.canWrite)}
<div class="page-layout">
${tableOfContents(rendered)}
${renderedBody(key, rendered)}
</div>
<footer class="page-meta">
  <p>Last changed ${time(page.updated_at)} by ${page.updated_by} · <a href="${revisionUrl(key, page.revision)}">revision ${shortRevision(page.revision)}</a> · <a href="${pageUrl(key, 'history')}">history</a></p>
  ${backlinks}
</footer>`;
  return layout({ title: page.name, chrome, body, scripts: rendered.needs.math || rendered.needs.mermaid ? ['extras.js'] : [] });
}
