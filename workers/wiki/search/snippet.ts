/**
 * Search snippets carry their highlights as two private-use characters, so
 * the text stays plain until a caller decides how to show it: HTML (escaped,
 * with `<mark>`) or plain text (for JSON and MCP).
 */
import { escapeHtml } from '../render/escape.ts';

/** Marks the start of a matched word in a snippet (U+E000). */
export const SNIPPET_OPEN = '\uE000';
/** Marks the end of a matched word in a snippet (U+E001). */
export const SNIPPET_CLOSE = '\uE001';
/** Stands for text the snippet left out. */
export const SNIPPET_ELLIPSIS = '…';

const MARKERS = /[\uE000\uE001]/g;

/**
 * The snippet as HTML: text escaped, markers turned into `<mark>`/`</mark>`.
 * Always well-formed even if the page itself contained marker characters: a
 * stray close is dropped, a nested open is ignored, an open mark is closed.
 */
export function snippetToHtml(snippet: string): string {
  let open = false;
  let out = '';
  let last = 0;
  for (const m of snippet.matchAll(MARKERS)) {
    out += escapeHtml(snippet.slice(last, m.index));
    last = m.index + 1;
    if (m[0] === SNIPPET_OPEN && !open) {
      out += '<mark>';
      open = true;
    } else if (m[0] === SNIPPET_CLOSE && open) {
      out += '</mark>';
      open = false;
    }
  }
  out += escapeHtml(snippet.slice(last));
  return open ? `${out}</mark>` : out;
}

/** The snippet as plain text: markers removed, nothing escaped. */
export function snippetToText(snippet: string): string {
  return snippet.replace(MARKERS, '');
}
