/**
 * The link graph's view of Markdown links: a relative link such as `[x](Other_Page)` or
 * `[x](/Dir/Page#part)` names a page; absolute URLs, in-page anchors and paths with a `.` in a
 * segment (attachments, `./`, `../`; page names cannot contain dots) do not.
 */
import type { MarkdownIt, StateCore } from 'markdown-it';
import { addLink, renderState } from './render-state.ts';

/** The page a relative link points to (percent-decoded, no leading or trailing `/`), else null. */
export function pageNameFromHref(href: string): string | null {
  const url = href.trim();
  if (url === '' || /^[^/?#]*:/.test(url) || /^[/\\]{2}/.test(url) || url.startsWith('#') || url.startsWith('?')) return null;
  const path = url.split(/[?#]/)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.length === 0 || segments.some((s) => s.includes('.'))) return null;
  return segments.join('/');
}

function collectPageLinks(state: StateCore): void {
  const render = renderState(state.env);
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type !== 'link_open' || token.meta?.['wikilink'] === true) continue;
      const href = token.attrGet('href');
      const page = typeof href === 'string' ? pageNameFromHref(href) : null;
      if (page !== null) addLink(render, page);
    }
  }
}

/** Records relative Markdown links to pages in the render's `links`. */
export function pageLinks(md: MarkdownIt): void {
  md.core.ruler.push('page_links', collectPageLinks);
}
