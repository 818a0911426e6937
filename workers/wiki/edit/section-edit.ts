/**
 * Reading and editing one section of a page, named by a heading path (see
 * section-path.ts). A section is its heading plus everything up to the next
 * heading of the same or a higher level, subsections included. Edited text is
 * joined with exactly one blank line on each side, takes the page's line
 * endings, and the page keeps a single line ending at its end.
 */
import { prepareAddition } from './addition.ts';
import {
  detectLineEnding,
  joinBlocks,
  trimBlankLines,
  trimLeadingBlankLines,
  trimTrailingBlankLines,
  withLineEnding,
  type LineEnding,
} from './line-endings.ts';
import { parseAtxHeading } from './markdown-lines.ts';
import { findSection, normalizeTitle } from './section-path.ts';
import type { Section } from './sections.ts';

/** Options of {@link replaceSection}. */
export interface ReplaceSectionOptions {
  /**
   * true: keep the heading line and replace what follows it (the section's
   * text and subsections). false: replace the heading too, so `newBody` should
   * bring its own heading; an empty `newBody` then deletes the section.
   */
  keepHeading: boolean;
}

function pageLineEnding(text: string, other: string): LineEnding {
  return detectLineEnding(text) ?? detectLineEnding(other) ?? '\n';
}

function headingLine(text: string, section: Section): string {
  return text.slice(section.start, section.contentStart).replace(/\r?\n$/, '');
}

/** `body` without a first line that repeats the section's own heading (same level and title). */
function withoutOwnHeading(body: string, section: Section): string {
  const lf = body.indexOf('\n');
  const first = (lf < 0 ? body : body.slice(0, lf)).replace(/\r$/, '');
  const heading = parseAtxHeading(first);
  if (!heading || heading.level !== section.level || normalizeTitle(heading.title) !== normalizeTitle(section.title)) return body;
  return lf < 0 ? '' : trimLeadingBlankLines(body.slice(lf + 1));
}

/** `before` + `middle` + `after`, with one blank line before `after` (when there is one) or a final line ending. */
function closeWith(beforeAndMiddle: string, after: string, eol: LineEnding): string {
  return after === '' ? beforeAndMiddle + eol : beforeAndMiddle + eol + eol + after;
}

/**
 * The text of the section `path` names, from the start of its heading line to
 * the next heading of the same or a higher level (subsections and any blank
 * lines before that heading included), exactly as in the page. An empty or
 * blank `path` gives the whole page (§7.3).
 *
 * @example readSection('# A\nx\n## B\ny\n# C\n', 'A') // '# A\nx\n## B\ny\n'
 * @throws EditError `not_found`/`section_not_found` or `invalid`/`section_ambiguous`
 */
export function readSection(text: string, path: string): string {
  if (path.trim() === '') return text;
  const section = findSection(text, path);
  return text.slice(section.start, section.end);
}

/**
 * `text` with the section `path` names replaced by `newBody` (subsections
 * included). With `keepHeading`, the heading line stays as it is and a first
 * line of `newBody` repeating that heading (same level and title) is dropped,
 * so sending a section back with its heading does not duplicate it.
 *
 * @example replaceSection('# A\nold\n# B\n', 'A', 'new', { keepHeading: true }) // '# A\n\nnew\n\n# B\n'
 * @throws EditError `not_found`/`section_not_found`, `invalid`/`section_ambiguous` or `invalid`/`empty_section_path`
 */
export function replaceSection(text: string, path: string, newBody: string, options: ReplaceSectionOptions): string {
  const section = findSection(text, path);
  const eol = pageLineEnding(text, newBody);
  const body = trimBlankLines(withLineEnding(newBody, eol));
  const before = text.slice(0, section.start);
  const after = text.slice(section.end);

  if (options.keepHeading) {
    const replaced = joinBlocks([headingLine(text, section), withoutOwnHeading(body, section)], eol);
    return closeWith(before + replaced, after, eol);
  }
  if (body === '') {
    if (after !== '') return before + after;
    const kept = trimTrailingBlankLines(before);
    return kept === '' ? '' : kept + eol;
  }
  return closeWith(joinBlocks([trimTrailingBlankLines(before), body], eol), after, eol);
}

/**
 * `text` with `addition` added at the end of the section's own text: after
 * what is directly under its heading and before its first subsection (text
 * placed after a subsection would read as part of that subsection).
 *
 * @example appendToSection('# A\nx\n## A1\ny\n', 'A', 'z') // '# A\nx\n\nz\n\n## A1\ny\n'
 * @throws EditError as {@link replaceSection}, or `invalid`/`empty_addition`
 */
export function appendToSection(text: string, path: string, addition: string): string {
  const section = findSection(text, path);
  const eol = pageLineEnding(text, addition);
  const block = prepareAddition(addition, eol);
  const own = trimTrailingBlankLines(text.slice(0, section.bodyEnd));
  return closeWith(joinBlocks([own, block], eol), text.slice(section.bodyEnd), eol);
}

/**
 * `text` with `addition` added right after the section's heading line, before
 * the rest of the section.
 *
 * @example prependToSection('# A\nx\n', 'A', 'z') // '# A\n\nz\n\nx\n'
 * @throws EditError as {@link replaceSection}, or `invalid`/`empty_addition`
 */
export function prependToSection(text: string, path: string, addition: string): string {
  const section = findSection(text, path);
  const eol = pageLineEnding(text, addition);
  const block = prepareAddition(addition, eol);
  const before = text.slice(0, section.start) + headingLine(text, section);
  return closeWith(joinBlocks([before, block], eol), trimLeadingBlankLines(text.slice(section.contentStart)), eol);
}
