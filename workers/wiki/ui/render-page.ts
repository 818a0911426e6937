/**
 * Renders a page's Markdown for the browser: wikilinks point at page
 * addresses, and links to pages that do not exist get `wikilink-missing`.
 * Existence is one indexed lookup of the page's link targets.
 */
import { linkTargetKey } from '../index/page-document.ts';
import { renderMarkdown, type RenderResult } from '../render/index.ts';
import { existingPages } from '../service/page-tree.ts';
import type { Repository } from '../service/repository.ts';
import { pageUrl } from './urls.ts';

function linkHref(name: string): string {
  const key = linkTargetKey(name);
  return key ? pageUrl(key) : `/${encodeURI(name)}`;
}

/** The rendered page (sanitised HTML, toc, title, needs) with missing pages marked. */
export async function renderForBrowser(repo: Repository, markdown: string): Promise<RenderResult> {
  const first = renderMarkdown(markdown, { pageExists: () => true, linkHref });
  const targets = first.links.map(linkTargetKey).filter((k): k is string => k !== null);
  if (targets.length === 0) return first;
  const existing = await existingPages(repo, targets);
  if (targets.every((k) => existing.has(k))) return first;
  return renderMarkdown(markdown, {
    pageExists: (name) => {
      const key = linkTargetKey(name);
      return key !== null && existing.has(key);
    },
    linkHref,
  });
}
