/**
 * The targeted edit of robot.wtf's `edit_note` / `PATCH /pages/<path>`
 * (wiki-reference §8): replace the one occurrence of an exact string in the
 * raw page text, frontmatter included. The error texts start with robot.wtf's
 * 422 messages and add what to do next.
 */
import { EditError } from './edit-error.ts';
import { lineNumberAt, uniformLineEnding, withLineEnding } from './line-endings.ts';

/** Up to this many occurrence lines are named when `old_string` is ambiguous. */
const MAX_LINES_NAMED = 10;
/** Near-miss hints are looked for only for an `old_string` up to this long. */
const MAX_HINT_CHARS = 2000;

/** Start offsets of the non-overlapping occurrences of `needle` (non-empty), left to right. */
export function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) found.push(i);
  return found;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Where the page has `needle` with other letter case or whitespace, if anywhere. */
function nearMiss(text: string, needle: string): { line: number; excerpt: string } | null {
  const words = needle.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || needle.length > MAX_HINT_CHARS) return null;
  const pattern = new RegExp(words.map(escapeRegExp).join('\\s+'), 'iu');
  const m = pattern.exec(text);
  if (!m) return null;
  return { line: lineNumberAt(text, m.index), excerpt: m[0] };
}

function notFoundMessage(text: string, needle: string): string {
  const base = 'old_string not found in page content.';
  const hint = nearMiss(text, needle);
  if (hint) {
    const shown = hint.excerpt.length <= 200 ? ` (${JSON.stringify(hint.excerpt)})` : '';
    return (
      `${base} The page has similar text at line ${hint.line}${shown} that differs in letter case or whitespace: ` +
      'copy old_string exactly from the page, or read the page again if it has changed.'
    );
  }
  return (
    `${base} Read the page again and copy the text to replace exactly as it is, ` +
    'character for character, including spaces, punctuation and line breaks.'
  );
}

function ambiguousMessage(text: string, positions: readonly number[]): string {
  const lines = positions.slice(0, MAX_LINES_NAMED).map((p) => lineNumberAt(text, p));
  const more = positions.length > MAX_LINES_NAMED ? ', …' : '';
  return (
    `old_string is ambiguous: found ${positions.length} occurrences. Provide a longer unique string. ` +
    `(They start on lines ${lines.join(', ')}${more}; include surrounding text so that old_string matches only one of them.)`
  );
}

/**
 * `text` with the single occurrence of `oldString` replaced by `newString`
 * (`''` deletes it). Occurrences are counted without overlaps, as Python's
 * `str.count` does. The replacement is inserted literally (no `$&` patterns).
 *
 * Line endings: when the page uses one line ending throughout, `newString`'s
 * line breaks are written with it, and an `oldString` that is found only with
 * the page's line ending (say `\n` sent for a `\r\n` page) is matched that way.
 *
 * @example findReplaceOnce('a cat and a dog', 'a dog', 'a bird') // 'a cat and a bird'
 * @throws EditError `invalid` with reason `empty_old_string`, `identical_strings`,
 *   `old_string_not_found` or `old_string_ambiguous` (details carry `occurrences`)
 */
export function findReplaceOnce(text: string, oldString: string, newString: string): string {
  if (oldString === '') {
    throw new EditError(
      'invalid',
      'empty_old_string',
      'old_string must not be empty. Give the exact text to replace, copied from the page; to add text, use an append or prepend edit.',
    );
  }
  const eol = uniformLineEnding(text);
  const replacement = eol ? withLineEnding(newString, eol) : newString;
  let needle = oldString;
  let positions = occurrences(text, needle);
  if (positions.length === 0 && eol && oldString.includes('\n')) {
    const alternative = withLineEnding(oldString, eol);
    if (alternative !== oldString) {
      needle = alternative;
      positions = occurrences(text, needle);
    }
  }
  if (oldString === newString || needle === replacement) {
    throw new EditError(
      'invalid',
      'identical_strings',
      'old_string and new_string are identical, so the edit would change nothing. Put the new text in new_string.',
    );
  }
  if (positions.length === 0) {
    throw new EditError('invalid', 'old_string_not_found', notFoundMessage(text, needle), { occurrences: 0 });
  }
  if (positions.length > 1) {
    throw new EditError('invalid', 'old_string_ambiguous', ambiguousMessage(text, positions), {
      occurrences: positions.length,
      lines: positions.slice(0, MAX_LINES_NAMED).map((p) => lineNumberAt(text, p)),
    });
  }
  const at = positions[0]!;
  return text.slice(0, at) + replacement + text.slice(at + needle.length);
}
