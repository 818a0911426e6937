/**
 * Markdown links and images starting with `./` resolve under the page being rendered, as in
 * Otterwiki (which prefixes them with the page's address): on page `Notes/Trip`,
 * `![x](./photo.png)` shows the page's attachment `photo.png`, `[x](./Day_1)` links the subpage
 * `Notes/Trip/Day_1`, and `./../map.png` is the attachment `map.png` of `Notes`.
 *
 * The path is resolved here, never by the browser: segments are percent-decoded first (so `%2e%2e`
 * is `..`, and `\` counts as `/` as browsers read it), and a path that climbs above the wiki's root
 * or names an impossible segment is refused (the link goes nowhere, the image has no source). A
 * last segment with a `.` is an attachment (page names made in the UI have no dots, as in
 * Otterwiki); anything else is a page.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import { renderState } from './render-state.ts';
import type { RenderOptions } from './types.ts';

/** Where a `./` address leads. */
export type RelativeTarget =
  | { kind: 'page'; page: string; suffix: string }
  | { kind: 'attachment'; page: string; file: string; suffix: string }
  | { kind: 'refused' };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Resolves `href` (which starts with `./`) under page `currentPage` (a page key). `suffix` is the
 * query and fragment, kept as written.
 */
export function resolveRelative(currentPage: string, href: string): RelativeTarget {
  const cut = href.search(/[?#]/);
  const path = cut < 0 ? href : href.slice(0, cut);
  const suffix = cut < 0 ? '' : href.slice(cut);
  const segments = currentPage.split('/').filter((s) => s !== '');
  for (const raw of path.slice(2).split(/[/\\]/)) {
    const segment = decodeSegment(raw);
    if (/[/\\\u0000-\u001f\u007f]/.test(segment)) return { kind: 'refused' };
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return { kind: 'refused' };
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  const last = segments.at(-1);
  if (last === undefined) return { kind: 'refused' };
  if (last.includes('.') && segments.length > 1) return { kind: 'attachment', page: segments.slice(0, -1).join('/'), file: last, suffix };
  return { kind: 'page', page: segments.join('/'), suffix };
}

/** The address `href` stands for on `currentPage`, or null when it is refused; other addresses come back unchanged. */
export function relativeHref(options: RenderOptions, currentPage: string, href: string): string | null {
  if (!href.trim().startsWith('./')) return href;
  const target = resolveRelative(currentPage, href.trim());
  switch (target.kind) {
    case 'refused':
      return null;
    case 'page':
      return options.linkHref(target.page) + target.suffix;
    case 'attachment': {
      const url = options.attachmentHref
        ? options.attachmentHref(target.page, target.file)
        : `${options.linkHref(target.page)}/a/${encodeURIComponent(target.file)}`;
      return url + target.suffix;
    }
  }
}

function resolveToken(options: RenderOptions, currentPage: string, token: Token, attr: 'href' | 'src'): void {
  const value = token.attrGet(attr);
  if (typeof value !== 'string') return;
  const resolved = relativeHref(options, currentPage, value);
  if (resolved !== null) token.attrSet(attr, resolved);
  else if (attr === 'href') token.attrSet('href', '#harmful-link');
  else token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'src');
}

function resolveRelativeLinks(state: StateCore): void {
  const { options } = renderState(state.env);
  const currentPage = options.currentPage;
  if (currentPage === undefined) return;
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type === 'link_open' && token.meta?.['wikilink'] !== true) resolveToken(options, currentPage, token, 'href');
      else if (token.type === 'image') resolveToken(options, currentPage, token, 'src');
    }
  }
}

/** Resolves `./` links and images under the rendered page (before the link checks run). */
export function relativeLinks(md: MarkdownIt): void {
  md.core.ruler.push('relative_links', resolveRelativeLinks);
}
