/**
 * Otterwiki's trick for `[[Title|Page]]` inside table rows: before parsing, the pipe of each
 * wikilink becomes a private-use character the table parser does not split on; after
 * rendering it becomes `|` again (also inside code, where the wikilink stays text).
 */

/** A wikilink with a pipe: `[[left|right]]` (Otterwiki's pattern, minus `[` inside, which keeps it linear). */
const PIPED_WIKILINK = /\[\[([^|[\]]+)\|([^[\]]+)\]\]/g;

/** The source with wikilink pipes replaced, the marker used, and the way back. */
export interface PipeGuard {
  /** The source to parse. */
  text: string;
  /** The character standing in for the pipes. */
  marker: string;
  /** Turns the marker back into `|` in any output. */
  restore(text: string): string;
}

/** Replaces wikilink pipes with a private-use character that does not occur in `source`. */
export function guardWikilinkPipes(source: string): PipeGuard {
  const used = new Set(source.match(/[\ue000-\uf8ff]/g));
  let code = 0xe000;
  while (code < 0xf8ff && used.has(String.fromCharCode(code))) code++;
  const marker = String.fromCharCode(code);
  if (used.has(marker)) return { text: source, marker, restore: (text) => text };
  return {
    text: source.replace(PIPED_WIKILINK, (_m, left: string, right: string) => `[[${left}${marker}${right}]]`),
    marker,
    restore: (text) => text.replaceAll(marker, '|'),
  };
}
