/**
 * Wikilinks, Otterwiki's default style: `[[Page]]`, `[[Title|Page]]` (title first) and
 * `[[Page#Section]]` (the fragment slugified like heading ids). The title is inline Markdown.
 * Inside code spans and blocks inline rules do not run, so `[[` there stays text.
 */
import type { MarkdownIt, StateInline } from 'markdown-it';
import { addLink, renderState } from './render-state.ts';
import { slugify } from './slugify.ts';

/** Where a wikilink target points. */
export interface WikilinkTarget {
  /** The page name (trimmed, leading `/` removed), or null for a link within the page. */
  page: string | null;
  /** The slugified fragment, or null. */
  fragment: string | null;
}

/** Splits a wikilink target into page and slugified fragment; null when nothing is left. */
export function parseWikilinkTarget(target: string): WikilinkTarget | null {
  const hash = target.indexOf('#');
  const pagePart = hash < 0 ? target : target.slice(0, hash);
  const rawFragment = hash < 0 ? '' : target.slice(hash + 1).trim();
  const page = pagePart.trim().replace(/^\/+/, '').trim();
  const fragment = rawFragment === '' ? null : slugify(rawFragment);
  if (page === '' && fragment === null) return null;
  return { page: page === '' ? null : page, fragment };
}

function wikilink(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x5b || src.charCodeAt(start + 1) !== 0x5b) return false;
  if (state.linkLevel > 0) return false;
  // The inner text holds no brackets; stopping at the first one keeps this linear.
  let close = start + 2;
  while (close < state.posMax && src.charCodeAt(close) !== 0x5d && src.charCodeAt(close) !== 0x5b) close++;
  if (close + 2 > state.posMax || src.charCodeAt(close) !== 0x5d || src.charCodeAt(close + 1) !== 0x5d) return false;
  const inner = src.slice(start + 2, close);
  if (inner === '') return false;

  const { options, pipeMarker } = renderState(state.env);
  let pipe = inner.indexOf(pipeMarker);
  if (pipe < 0) pipe = inner.indexOf('|');
  const titleEnd = pipe < 0 ? close : start + 2 + pipe;
  const targetText = pipe < 0 ? inner : inner.slice(pipe + 1);
  if (titleEnd === start + 2 || targetText.trim() === '') return false;
  const target = parseWikilinkTarget(targetText);
  if (!target) return false;

  if (!silent) {
    const fragment = target.fragment === null ? '' : `#${target.fragment}`;
    const open = state.push('link_open', 'a', 1);
    if (target.page === null) {
      open.attrs = [['href', fragment], ['class', 'wikilink']];
    } else {
      const exists = options.pageExists(target.page);
      open.attrs = [['href', options.linkHref(target.page) + fragment], ['class', exists ? 'wikilink' : 'wikilink-missing']];
      addLink(renderState(state.env), target.page);
    }
    open.markup = 'wikilink';
    open.meta = { wikilink: true };
    const max = state.posMax;
    state.pos = start + 2;
    state.posMax = titleEnd;
    state.linkLevel++;
    state.md.inline.tokenize(state);
    state.linkLevel--;
    state.posMax = max;
    state.push('link_close', 'a', -1).markup = 'wikilink';
  }
  state.pos = close + 2;
  return true;
}

/** Adds the wikilink inline rule (before CommonMark links, so `[[x]]` is never a reference link). */
export function wikilinks(md: MarkdownIt): void {
  md.inline.ruler.before('link', 'wikilink', wikilink);
}
