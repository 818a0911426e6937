/**
 * Otterwiki's fancy blocks: `::: info` … `:::` (three or more colons; any name, or none) become
 * `<div class="alert alert-{name}">`. A first line `# Heading` (one to five `#`) becomes
 * `<h4 class="alert-heading">` and stays out of the table of contents.
 */
import type { MarkdownIt, StateBlock, Token } from 'markdown-it';
import { escapeHtml } from './escape.ts';

const COLON = 0x3a;
const HEADER = /^#{1,5}\s*(.*)$/;

/** The class list of a block named `name` (as written after the colons). */
export function fancyBlockClass(name: string): string {
  const family = name.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return family === '' ? 'alert' : `alert alert-${family}`;
}

function colonRun(state: StateBlock, line: number): { count: number; end: number } {
  const start = state.bMarks[line]! + state.tShift[line]!;
  const max = state.eMarks[line]!;
  let pos = start;
  while (pos < max && state.src.charCodeAt(pos) === COLON) pos++;
  return { count: pos - start, end: pos };
}

function fancyBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const opening = colonRun(state, startLine);
  if (opening.count < 3) return false;
  const name = state.src.slice(opening.end, state.eMarks[startLine]);
  if (name.includes(':')) return false;
  if (silent) return true;

  let nextLine = startLine;
  let closed = false;
  for (;;) {
    nextLine++;
    if (nextLine >= endLine) break;
    const lineStart = state.bMarks[nextLine]! + state.tShift[nextLine]!;
    const lineMax = state.eMarks[nextLine]!;
    if (lineStart < lineMax && state.sCount[nextLine]! < state.blkIndent) break;
    if (state.sCount[nextLine]! - state.blkIndent >= 4) continue;
    const run = colonRun(state, nextLine);
    if (run.count < opening.count) continue;
    if (state.skipSpaces(run.end) < lineMax) continue;
    closed = true;
    break;
  }

  const oldParent = state.parentType;
  const oldLineMax = state.lineMax;
  state.parentType = 'fancy_block';
  state.lineMax = nextLine;

  const open = state.push('fancy_block_open', 'div', 1);
  open.block = true;
  open.markup = ':'.repeat(opening.count);
  open.info = name.trim();
  open.map = [startLine, nextLine];

  let contentStart = startLine + 1;
  if (contentStart < nextLine) {
    const first = state.src.slice(state.bMarks[contentStart]! + state.tShift[contentStart]!, state.eMarks[contentStart]);
    const header = HEADER.exec(first);
    if (header) {
      const heading = state.push('fancy_block_heading', 'h4', 0);
      heading.block = true;
      heading.content = (header[1] ?? '').trim();
      contentStart++;
    }
  }
  state.md.block.tokenize(state, contentStart, nextLine);

  const close = state.push('fancy_block_close', 'div', -1);
  close.block = true;
  state.parentType = oldParent;
  state.lineMax = oldLineMax;
  state.line = nextLine + (closed ? 1 : 0);
  return true;
}

function renderOpen(tokens: Token[], idx: number): string {
  return `<div class="${escapeHtml(fancyBlockClass(tokens[idx]!.info))}">\n`;
}

function renderHeading(tokens: Token[], idx: number): string {
  return `<h4 class="alert-heading">${escapeHtml(tokens[idx]!.content)}</h4>\n`;
}

/** Adds the `:::` block rule and its renderers. */
export function fancyBlocks(md: MarkdownIt): void {
  md.block.ruler.before('fence', 'fancy_block', fancyBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.renderer.rules['fancy_block_open'] = renderOpen;
  md.renderer.rules['fancy_block_heading'] = renderHeading;
  md.renderer.rules['fancy_block_close'] = (): string => '</div>\n';
}
