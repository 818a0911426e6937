/**
 * Renders a page's Markdown for the browser: wikilinks point at page
 * addresses, links to pages that do not exist get `wikilink-missing`, and
 * `./` links and images resolve under the page (its attachments, its subpages).
 * Existence is one indexed lookup of the page's link targets.
 */
import { linkTargetKey } from '../index/page-document.ts';
import { renderMarkdown, type RenderResult } from '../render/index.ts';
import { existingPages } from '../service/page-tree.ts';
import { cachedForHead } from '../service/head-cache.ts';
import type { Repository } from '../service/repository.ts';
import { attachmentUrl, pageUrl } from './urls.ts';

function linkHref(name: string): string {
  const key = linkTargetKey(name);
  return key ? pageUrl(key) : `/${encodeURI(name)}`;
}

function attachmentHref(page: string, file: string): string {
  const key = linkTargetKey(page);
  return key ? attachmentUrl(key, file) : `/${encodeURI(page)}/a/${encodeURIComponent(file)}`;
}

/**
 * Page `key`'s Markdown rendered, with missing pages marked. With
 * `cacheHead` (the wiki's head, which with the key fixes the page's text and
 * which links exist) the result is remembered for that exact state of the wiki.
 */
export async function renderForBrowser(repo: Repository, markdown: string, key: string, cacheHead?: string): Promise<RenderResult> {
  if (cacheHead === undefined) return render(repo, markdown, key);
  return cachedForHead(`render:${repo.wiki.id}:${cacheHead}:${key}`, () => render(repo, markdown, key), (r) => r.html.length * 2);
}

async function render(repo: Repository, markdown: string, currentPage: string): Promise<RenderResult> {
  const first = renderMarkdown(markdown, { pageExists: () => true, linkHref, attachmentHref, currentPage });
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
    attachmentHref,
    currentPage,
  });
}
