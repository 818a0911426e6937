/** Text to insert into a page, made ready: the page's line endings, no blank lines at its ends. */
import { EditError } from './edit-error.ts';
import { trimBlankLines, withLineEnding, type LineEnding } from './line-endings.ts';

/**
 * `addition` with its line breaks written as `eol` and its leading and
 * trailing blank lines removed (the first line keeps its indentation).
 *
 * @throws EditError `invalid`/`empty_addition` when nothing but whitespace is left
 */
export function prepareAddition(addition: string, eol: LineEnding): string {
  const block = trimBlankLines(withLineEnding(addition, eol));
  if (block === '') {
    throw new EditError('invalid', 'empty_addition', 'The text to add is empty. Give the Markdown to insert.');
  }
  return block;
}
