/** The text of a page as the editor saves it and as a new page starts. Pure functions. */
import { displayTitle } from '../pages/page-files.ts';

/**
 * The text as saved: line endings as `\n` (browsers send `\r\n`), no blank
 * lines before the first line, no trailing whitespace, one final newline
 * (Otterwiki's normalisation, keeping the first line's indentation).
 */
export function normalizeText(text: string): string {
  const t = text.replace(/\r\n?/g, '\n').replace(/^\s*\n/, '').trimEnd();
  return t ? `${t}\n` : '';
}

/** The text a new page starts with: its title as a heading. */
export function newPageText(key: string): string {
  return `# ${displayTitle(key)}\n\n`;
}
