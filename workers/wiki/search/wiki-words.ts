/**
 * Words as the shared full-text index holds them: each one prefixed with its
 * wiki's own letters (`river` in one wiki is `zkqtbriver`, in another
 * `mhwxcriver`).
 *
 * Every wiki's pages share one FTS5 table, and bm25 counts the rows holding
 * each query word over the whole table: FTS5 cannot count inside the rows a
 * query is confined to. Unprefixed, a ranked search therefore read every wiki's
 * rows for its words: 42 ms in a farm of 1,000 wikis × 50 pages, against 4 ms
 * for the same 500-page wiki alone. Prefixed, each wiki has its own words, so a
 * search reads only its wiki's rows and ranks by its wiki's counts.
 *
 * The prefix is five consonants from a hash of the wiki id. Consonants only,
 * so that the porter stemmer, which measures a word by its vowel-consonant
 * runs, stems a prefixed word as it stems the bare word (but for two-letter
 * words ending in s, which it leaves alone bare: `is` then also finds `i`;
 * wiki-words.test.ts holds the list it was checked on). Two wikis may share a
 * prefix (one pair in 3.2 million): they then share counts, never results,
 * because every search is also confined to its wiki by the `wiki` column.
 */
import { termWords } from './query-terms.ts';

const CONSONANTS = 'bcdfghjklmnpqrstvwxz';
const PREFIX_LENGTH = 5;

/** The wiki's id as one FTS5 token (unicode61 would split `wk_abc` at `_` into a two-word phrase). */
export function ftsWikiToken(wikiId: string): string {
  return wikiId.replace(/[_-]/g, '');
}

/** The letters that prefix every word of wiki `wikiId` in the index (FNV-1a of the id, in consonants). */
export function wikiWordPrefix(wikiId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < wikiId.length; i++) hash = Math.imul(hash ^ wikiId.charCodeAt(i), 0x01000193) >>> 0;
  let prefix = '';
  for (let i = 0; i < PREFIX_LENGTH; i++) {
    prefix += CONSONANTS[hash % CONSONANTS.length];
    hash = Math.floor(hash / CONSONANTS.length);
  }
  return prefix;
}

/**
 * `text`'s words, each behind `prefix`, separated by spaces: what the index
 * stores for a page and what a query looks for. Words are the tokenizer's own
 * (letters, numbers, private use), so it splits the result exactly there and
 * folds case and diacritics after the prefix as it would without it.
 */
export function prefixWords(prefix: string, text: string): string {
  return termWords(text)
    .map((w) => prefix + w)
    .join(' ');
}
