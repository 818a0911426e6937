/** Markdown page → sanitized HTML plus what the wiki needs to know about the page. */
import { escapeHtml } from './escape.ts';
import { pageMeta, splitFrontmatter } from './frontmatter.ts';
import { wikiMarkdown } from './markdown.ts';
import { createRenderEnv } from './render-state.ts';
import { sanitizeHtml } from './sanitize.ts';
import type { RenderOptions, RenderResult } from './types.ts';
import { guardWikilinkPipes } from './wikilink-pipes.ts';

/** The collapsed "Properties" block showing the frontmatter's YAML as text. */
export function frontmatterHtml(raw: string): string {
  return `<details class="frontmatter"><summary>Properties</summary><pre>${escapeHtml(raw.trim())}</pre></details>\n`;
}

/**
 * Renders a page (frontmatter included) in Otterwiki's Markdown dialect. The frontmatter is
 * shown as a collapsed block, and its `title` becomes an `<h1>` when the page has no H1 of its
 * own. The HTML is sanitized as a whole at the end.
 */
export function renderMarkdown(markdown: string, options: RenderOptions): RenderResult {
  const frontmatter = splitFrontmatter(markdown);
  const meta = pageMeta(frontmatter.data);
  const guard = guardWikilinkPipes(frontmatter.body);
  const { env, state } = createRenderEnv(options, guard.marker);
  const body = wikiMarkdown().render(guard.text, env);

  let html = frontmatter.raw === null ? '' : frontmatterHtml(frontmatter.raw);
  if (state.firstH1 === null && meta.title !== undefined) html += `<h1>${escapeHtml(meta.title)}</h1>\n`;
  html += body;

  const title = state.firstH1 ?? meta.title ?? null;
  return {
    html: guard.restore(sanitizeHtml(html, state.taskNonce)),
    toc: state.toc.map((entry) => ({ ...entry, text: guard.restore(entry.text) })),
    links: state.links.map(guard.restore),
    title: title === null ? null : guard.restore(title),
    needs: { ...state.needs },
  };
}
