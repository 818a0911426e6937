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

function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== DOLLAR) return false;
  let display = false;
  let contentStart = start + 1;
  let end: number;
  if (src.charCodeAt(start + 1) === DOLLAR) {
    // $$…$$: at least one character, no unescaped $ inside.
    display = true;
    contentStart = start + 2;
    end = nextDollar(src, contentStart, state.posMax);
    if (end <= contentStart || src.charCodeAt(end + 1) !== DOLLAR) return false;
    if (src.slice(contentStart, end).trim() === '') return false;
  } else {
    // $…$: no space after the opening or before the closing dollar.
    end = nextDollar(src, contentStart, state.posMax);
    if (end <= contentStart) return false;
    if (/\s/.test(src.charAt(contentStart))) return false;
    if (/\s/.test(src.charAt(end - 1))) return false;
  }
  if (!silent) {
    const token = state.push('math_inline', 'span', 0);
    token.content = src.slice(contentStart, end);
    token.markup = display ? '$$' : '$';
    renderState(state.env).needs.math = true;
  }
  state.pos = end + (display ? 2 : 1);
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
