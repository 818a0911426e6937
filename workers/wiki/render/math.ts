/**
 * Math, left as TeX for a browser-side renderer (Otterwiki's syntax): `$…$` and `` `$…$` `` →
 * `<span class="math-inline">`, `$$…$$` inside a paragraph → `<span class="math-display">`,
 * a block starting with `$$` and ending with `$$` at a line end → `<div class="math-display">`.
 * ```` ```math ```` fences are handled with the other code blocks.
 */
import type { MarkdownIt, StateBlock, StateInline, Token } from 'markdown-it';
import { escapeHtml } from './escape.ts';
import { renderState } from './render-state.ts';

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

/** `<span class="math-inline">` (or display) holding escaped TeX. */
export function mathHtml(tex: string, display: boolean, block = false): string {
  const cls = display ? 'math-display' : 'math-inline';
  return block ? `<div class="${cls}">${escapeHtml(tex)}</div>\n` : `<span class="${cls}">${escapeHtml(tex)}</span>`;
}

/** Index of the next `$` at or after `from` that is not escaped by a backslash, or -1. */
function nextDollar(src: string, from: number, max: number): number {
  for (let pos = from; pos < max; pos++) {
    const c = src.charCodeAt(pos);
    if (c === BACKSLASH) pos++;
    else if (c === DOLLAR) return pos;
  }
  return -1;
}

/**
 * Where inline math that opens at `start` in `src` ends (just past its closing dollars), or -1
 * when no math opens there: `$$…$$` holds at least one non-space character and no unescaped `$`;
 * `$…$` has no space after its opening or before its closing dollar. Link rewriting
 * (pages/link-rewrite.ts) uses it to leave math exactly as written.
 */
export function inlineMathEnd(src: string, start: number, max = src.length): number {
  if (src.charCodeAt(start) !== DOLLAR) return -1;
  if (src.charCodeAt(start + 1) === DOLLAR) {
    const end = nextDollar(src, start + 2, max);
    if (end <= start + 2 || src.charCodeAt(end + 1) !== DOLLAR) return -1;
    if (src.slice(start + 2, end).trim() === '') return -1;
    return end + 2;
  }
  const end = nextDollar(src, start + 1, max);
  if (end <= start + 1) return -1;
  if (/\s/.test(src.charAt(start + 1)) || /\s/.test(src.charAt(end - 1))) return -1;
  return end + 1;
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  const end = inlineMathEnd(src, start, state.posMax);
  if (end < 0) return false;
  if (!silent) {
    const display = src.charCodeAt(start + 1) === DOLLAR;
    const token = state.push('math_inline', 'span', 0);
    token.content = src.slice(start + (display ? 2 : 1), end - (display ? 2 : 1));
    token.markup = display ? '$$' : '$';
    renderState(state.env).needs.math = true;
  }
  state.pos = end;
  return true;
}

/**
 * Per parse: for a search range (end line and indent), the first line from which no closing
 * `$$` was found. Later searches from there on cannot find one either, so many unclosed `$$`
 * lines cost linear, not quadratic, time.
 */
const noCloserFrom = new WeakMap<StateBlock, Map<string, number>>();

function closerKnownMissing(state: StateBlock, from: number, endLine: number): boolean {
  const known = noCloserFrom.get(state)?.get(`${endLine}:${state.blkIndent}`);
  return known !== undefined && from >= known;
}

function rememberMissingCloser(state: StateBlock, from: number, endLine: number): void {
  let byRange = noCloserFrom.get(state);
  if (!byRange) noCloserFrom.set(state, (byRange = new Map()));
  const key = `${endLine}:${state.blkIndent}`;
  byRange.set(key, Math.min(byRange.get(key) ?? from, from));
}

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  const firstMax = state.eMarks[startLine]!;
  if (state.src.charCodeAt(start) !== DOLLAR || state.src.charCodeAt(start + 1) !== DOLLAR) return false;

  const first = state.src.slice(start + 2, firstMax).trimEnd();
  let content: string;
  let lastLine = startLine;
  if (first.length >= 2 && first.endsWith('$$')) {
    content = first.slice(0, -2);
  } else {
    if (closerKnownMissing(state, startLine + 1, endLine)) return false;
    const lines = [first];
    let found = false;
    for (let line = startLine + 1; line < endLine; line++) {
      const lineStart = state.bMarks[line]! + state.tShift[line]!;
      const lineMax = state.eMarks[line]!;
      if (lineStart < lineMax && state.sCount[line]! < state.blkIndent) break;
      const text = state.src.slice(lineStart, lineMax).trimEnd();
      if (text.endsWith('$$')) {
        lines.push(text.slice(0, -2));
        lastLine = line;
        found = true;
        break;
      }
      lines.push(text);
    }
    if (!found) {
      rememberMissingCloser(state, startLine + 1, endLine);
      return false;
    }
    content = lines.join('\n');
  }
  if (silent) return true;

  const token = state.push('math_block', 'div', 0);
  token.block = true;
  token.content = content.trim();
  token.markup = '$$';
  token.map = [startLine, lastLine + 1];
  renderState(state.env).needs.math = true;
  state.line = lastLine + 1;
  return true;
}

function renderInline(tokens: Token[], idx: number): string {
  const token = tokens[idx]!;
  return mathHtml(token.content, token.markup === '$$');
}

function renderBlock(tokens: Token[], idx: number): string {
  return mathHtml(tokens[idx]!.content, true, true);
}

/** Adds `$…$`, `$$…$$` and `` `$…$` `` math. */
export function math(md: MarkdownIt): void {
  md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.inline.ruler.after('escape', 'math_inline', mathInline);
  md.renderer.rules['math_inline'] = renderInline;
  md.renderer.rules['math_block'] = renderBlock;
  const codeInline = md.renderer.rules['code_inline'];
  md.renderer.rules['code_inline'] = (tokens, idx, options, env, self): string => {
    const text = tokens[idx]!.content;
    if (text.length >= 3 && text.startsWith('$') && text.endsWith('$')) {
      renderState(env).needs.math = true;
      return mathHtml(text.slice(1, -1), false);
    }
    return codeInline ? codeInline(tokens, idx, options, env, self) : `<code>${escapeHtml(text)}</code>`;
  };
}
