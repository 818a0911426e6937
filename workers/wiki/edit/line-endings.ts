/**
 * Line endings and blank-line joins for edits that insert Markdown blocks into
 * a page: inserted text takes the page's line ending, and joined blocks are
 * separated by exactly one blank line so that no block runs into the next (a
 * paragraph followed directly by `---` would become a setext heading).
 */

/** A line ending a page may use. */
export type LineEnding = '\n' | '\r\n';

/** The line ending of the first line break in `text`; null when it has none. */
export function detectLineEnding(text: string): LineEnding | null {
  const i = text.indexOf('\n');
  if (i < 0) return null;
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * The one line ending every line break in `text` uses; null when it has no
 * line break or mixes `\n` and `\r\n`.
 */
export function uniformLineEnding(text: string): LineEnding | null {
  const first = detectLineEnding(text);
  if (first === null) return null;
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1;
  if (crlf === lf) return '\r\n';
  return crlf === 0 ? '\n' : null;
}

/** `text` with every line break (`\r\n` or `\n`) written as `eol`. */
export function withLineEnding(text: string, eol: LineEnding): string {
  return text.replace(/\r?\n/g, eol);
}

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

/** `text` without whole blank lines at its start; the first non-blank line keeps its indentation. */
export function trimLeadingBlankLines(text: string): string {
  let lineStart = 0;
  let i = 0;
  while (i < text.length && isBlank(text[i])) {
    if (text[i] === '\n') lineStart = i + 1;
    i++;
  }
  return i === text.length ? '' : text.slice(lineStart);
}

/** `text` without trailing spaces, tabs and line breaks. */
export function trimTrailingBlankLines(text: string): string {
  let end = text.length;
  while (end > 0 && isBlank(text[end - 1])) end--;
  return text.slice(0, end);
}

/** `text` without blank lines at either end (and without trailing whitespace); '' when it is all whitespace. */
export function trimBlankLines(text: string): string {
  return trimTrailingBlankLines(trimLeadingBlankLines(text));
}

/**
 * Joins blocks with exactly one blank line between them, skipping empty ones.
 * Each block should already be trimmed with {@link trimBlankLines} (or at its
 * joined ends).
 */
export function joinBlocks(blocks: readonly string[], eol: LineEnding): string {
  return blocks.filter((b) => b !== '').join(eol + eol);
}

/** The line `offset` is on, counting from 1. */
export function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
