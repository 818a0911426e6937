/**
 * Adding text at the end or the top of a page. The added text becomes its own
 * block: exactly one blank line separates it from what it is joined to (so a
 * paragraph never merges with it and a `---` line cannot turn the paragraph
 * before it into a setext heading), it takes the page's line endings, and the
 * page keeps a single line ending at its end. Whitespace-only additions are
 * refused.
 */
import { prepareAddition } from './addition.ts';
import { frontmatterEnd } from './frontmatter-span.ts';
import {
  detectLineEnding,
  joinBlocks,
  trimLeadingBlankLines,
  trimTrailingBlankLines,
  type LineEnding,
} from './line-endings.ts';
import { parseAtxHeading } from './markdown-lines.ts';

/** Options of {@link prependText}. */
export interface PrependOptions {
  /**
   * Insert after a level-1 title heading that starts the body (`# Title`, or a
   * setext `Title` over `===`), which the wiki shows as the page title.
   * Default true.
   */
  afterTitle?: boolean;
}

function pageLineEnding(text: string, addition: string): LineEnding {
  return detectLineEnding(text) ?? detectLineEnding(addition) ?? '\n';
}

/** The offset just after the line that starts at `pos` (after its line ending). */
function lineEnd(text: string, pos: number): number {
  const lf = text.indexOf('\n', pos);
  return lf < 0 ? text.length : lf + 1;
}

function lineAt(text: string, pos: number): string {
  return text.slice(pos, lineEnd(text, pos)).replace(/\r?\n$/, '');
}

/** Where the body's leading H1 title ends (after its line ending), or `from` when the body does not start with one. */
function titleEnd(text: string, from: number): number {
  let pos = from;
  while (pos < text.length && lineAt(text, pos).trim() === '') pos = lineEnd(text, pos);
  if (pos >= text.length) return from;
  const first = lineAt(text, pos);
  if (parseAtxHeading(first)?.level === 1) return lineEnd(text, pos);
  const second = lineEnd(text, pos);
  if (/^ {0,3}\S/.test(first) && second < text.length && /^ {0,3}=+[ \t]*$/.test(lineAt(text, second))) {
    return lineEnd(text, second);
  }
  return from;
}

/**
 * `text` with `addition` added as the last block of the page.
 *
 * @example appendText('# Log\n\nfirst\n', 'second') // '# Log\n\nfirst\n\nsecond\n'
 * @throws EditError `invalid`/`empty_addition` for a whitespace-only addition
 */
export function appendText(text: string, addition: string): string {
  const eol = pageLineEnding(text, addition);
  const block = prepareAddition(addition, eol);
  return joinBlocks([trimTrailingBlankLines(text), block], eol) + eol;
}

/**
 * `text` with `addition` added as the first block of the page's body: after
 * the frontmatter block, if any, and after a level-1 title heading that starts
 * the body (unless `afterTitle` is false); before everything else. The rest of
 * the page, its end included, is left as it was.
 *
 * @example prependText('---\ntags: a\n---\n# Title\n\nbody\n', 'new') // '---\ntags: a\n---\n# Title\n\nnew\n\nbody\n'
 * @throws EditError `invalid`/`empty_addition` for a whitespace-only addition
 */
export function prependText(text: string, addition: string, options: PrependOptions = {}): string {
  const eol = pageLineEnding(text, addition);
  const block = prepareAddition(addition, eol);
  const fmEnd = frontmatterEnd(text);
  const at = options.afterTitle === false ? fmEnd : titleEnd(text, fmEnd);
  const head = trimTrailingBlankLines(text.slice(0, at));
  const rest = trimLeadingBlankLines(text.slice(at));
  return joinBlocks([head, block, rest], eol) + (rest === '' ? eol : '');
}
