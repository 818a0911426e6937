/**
 * Renders a page's Markdown for the browser: wikilinks point at page
 * addresses, and links to pages that do not exist get `wikilink-missing`.
 * Existence is one indexed lookup of the page's link targets.
 */
import { linkTargetKey } from '../index/page-document.ts';
import { renderMarkdown, type RenderResult } from '../render/index.ts';
import { existingPages } from '../service/page-tree.ts';
import { cachedForHead } from '../service/head-cache.ts';
import type { Repository } from '../service/repository.ts';
import { pageUrl } from './urls.ts';

function linkHref(name: string): string {
  const key = linkTargetKey(name);
  return key ? pageUrl(key) : `/${encodeURI(name)}`;
}

/**
 * The rendered page, with missing pages marked. With `cacheAs` (the page's
 * key and the wiki's head, which fix its text and which links exist) the
 * result is remembered for that exact state of the wiki.
 */
export async function renderForBrowser(repo: Repository, markdown: string, cacheAs?: { head: string; key: string }): Promise<RenderResult> {
  if (!cacheAs) return render(repo, markdown);
  return cachedForHead(`render:${repo.wiki.id}:${cacheAs.head}:${cacheAs.key}`, () => render(repo, markdown), (r) => r.html.length * 2);
}

async function render(repo: Repository, markdown: string): Promise<RenderResult> {
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
