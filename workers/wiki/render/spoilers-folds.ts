/**
 * Otterwiki's spoiler and fold blocks, made of consecutive lines that start with a marker (up to
 * three spaces before it, no lazy continuation lines):
 *
 * - `>! text` — a spoiler: the text is hidden until clicked. Otterwiki uses a button and a script;
 *   here it is a `<details class="spoiler">`, which works without JavaScript under the wiki's CSP.
 * - `>| # Summary` then `>| body` — a fold: `<details class="collapse-panel">` whose summary is the
 *   first non-blank line when it is a `#` to `#####` heading (plain text, kept out of the table of
 *   contents), else `...`, as in Otterwiki.
 *
 * The marker is removed from each line and what remains is parsed as Markdown blocks.
 */
import type { MarkdownIt, StateBlock, Token } from 'markdown-it';
import { escapeHtml } from './escape.ts';

const GT = 0x3e;
const BANG = 0x21;
const PIPE = 0x7c;
const HEADER = /^#{1,5}\s*(.*)$/;

type Kind = 'spoiler' | 'fold';

/** True when `line` starts (inside the current block) with `>` followed by `mark`. */
function markedLine(state: StateBlock, line: number, mark: number): boolean {
  if (state.sCount[line]! < state.blkIndent || state.sCount[line]! - state.blkIndent >= 4) return false;
  const pos = state.bMarks[line]! + state.tShift[line]!;
  return pos + 1 < state.eMarks[line]! && state.src.charCodeAt(pos) === GT && state.src.charCodeAt(pos + 1) === mark;
}

interface SavedLine {
  bMark: number;
  tShift: number;
  sCount: number;
  bsCount: number;
}

/** Moves each line's start past its marker (and measures the indent after it); returns what to restore. */
function stripMarkers(state: StateBlock, from: number, to: number): SavedLine[] {
  const saved: SavedLine[] = [];
  for (let line = from; line < to; line++) {
    saved.push({ bMark: state.bMarks[line]!, tShift: state.tShift[line]!, sCount: state.sCount[line]!, bsCount: state.bsCount[line]! });
    let pos = state.bMarks[line]! + state.tShift[line]! + 2;
    const start = pos;
    const max = state.eMarks[line]!;
    let offset = 0;
    while (pos < max) {
      const ch = state.src.charCodeAt(pos);
      if (ch === 0x09) offset += 4 - (offset % 4);
      else if (ch === 0x20) offset++;
      else break;
      pos++;
    }
    state.bsCount[line] = state.sCount[line]! + 2;
    state.bMarks[line] = start;
    state.tShift[line] = pos - start;
    state.sCount[line] = offset;
  }
  return saved;
}

function restoreLines(state: StateBlock, from: number, saved: SavedLine[]): void {
  saved.forEach((s, i) => {
    state.bMarks[from + i] = s.bMark;
    state.tShift[from + i] = s.tShift;
    state.sCount[from + i] = s.sCount;
    state.bsCount[from + i] = s.bsCount;
  });
}

function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]);
}

function markedBlockRule(kind: Kind, mark: number) {
  return function markedBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
    if (!markedLine(state, startLine, mark)) return false;
    if (silent) return true;

    let nextLine = startLine + 1;
    while (nextLine < endLine && markedLine(state, nextLine, mark)) nextLine++;

    const saved = stripMarkers(state, startLine, nextLine);
    const oldParent = state.parentType;
    const oldLineMax = state.lineMax;
    const oldIndent = state.blkIndent;
    state.parentType = kind;
    state.lineMax = nextLine;
    state.blkIndent = 0;

    const open = state.push(`${kind}_open`, 'details', 1);
    open.block = true;
    open.markup = `>${String.fromCharCode(mark)}`;
    open.map = [startLine, nextLine];

    let contentStart = startLine;
    if (kind === 'fold') {
      while (contentStart < nextLine && lineText(state, contentStart).trim() === '') contentStart++;
      const header = contentStart < nextLine ? HEADER.exec(lineText(state, contentStart)) : null;
      open.info = header ? (header[1] ?? '').trim() : '...';
      if (header) contentStart++;
    }
    const body = state.push(`${kind}_body_open`, 'div', 1);
    body.block = true;
    state.md.block.tokenize(state, contentStart, nextLine);
    state.push(`${kind}_body_close`, 'div', -1).block = true;
    state.push(`${kind}_close`, 'details', -1).block = true;

    restoreLines(state, startLine, saved);
    state.blkIndent = oldIndent;
    state.parentType = oldParent;
    state.lineMax = oldLineMax;
    state.line = nextLine;
    return true;
  };
}

/** Adds the `>!` spoiler and `>|` fold rules and their renderers. */
export function spoilersAndFolds(md: MarkdownIt): void {
  const alt = { alt: ['paragraph', 'reference', 'blockquote', 'list'] };
  md.block.ruler.before('blockquote', 'spoiler', markedBlockRule('spoiler', BANG), alt);
  md.block.ruler.before('blockquote', 'fold', markedBlockRule('fold', PIPE), alt);
  const rules = md.renderer.rules;
  rules['spoiler_open'] = (): string => '<details class="spoiler">\n<summary class="spoiler-button">Spoiler</summary>\n';
  rules['spoiler_body_open'] = (): string => '<div class="spoiler-content">\n';
  rules['spoiler_body_close'] = (): string => '</div>\n';
  rules['spoiler_close'] = (): string => '</details>\n';
  rules['fold_open'] = (tokens: Token[], idx: number): string =>
    `<details class="collapse-panel">\n<summary class="collapse-header">${escapeHtml(tokens[idx]!.info)}</summary>\n`;
  rules['fold_body_open'] = (): string => '<div class="collapse-content">\n';
  rules['fold_body_close'] = (): string => '</div>\n';
  rules['fold_close'] = (): string => '</details>\n';
}
