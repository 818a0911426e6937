/**
 * Markdown links and images with a URL scheme that is not allowed: a link keeps its text and
 * gets `href="#harmful-link"` (as in Otterwiki), an image loses its `src`. Images also get
 * Otterwiki's `class="img-fluid"`. (The sanitizer checks every URL again at the end.)
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import { IMAGE_SCHEMES, LINK_SCHEMES, safeUrl } from './url-policy.ts';

function checkLink(token: Token): void {
  if (token.meta?.['wikilink'] === true) return;
  const href = token.attrGet('href');
  if (typeof href === 'string' && safeUrl(href, LINK_SCHEMES) === null) token.attrSet('href', '#harmful-link');
}

function checkImage(token: Token): void {
  const src = token.attrGet('src');
  if (typeof src === 'string' && safeUrl(src, IMAGE_SCHEMES) === null) {
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'src');
  }
  token.attrJoin('class', 'img-fluid');
}

function neutraliseUnsafeLinks(state: StateCore): void {
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type === 'link_open') checkLink(token);
      else if (token.type === 'image') checkImage(token);
    }
  }
}

/** Accepts every link destination while parsing, then neutralises the unsafe ones. */
export function linkSafety(md: MarkdownIt): void {
  md.validateLink = (): boolean => true;
  md.core.ruler.push('link_safety', neutraliseUnsafeLinks);
}
