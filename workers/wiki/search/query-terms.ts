/**
 * Splits what a person types into a search box into terms: bare words and
 * "quoted phrases", each optionally ending in `*` (a prefix search on its last
 * word). Nothing here is query syntax: `AND`, `NEAR(`, `title:`, `^`, `(` are
 * just text, which the unicode61 tokenizer later splits into words.
 */
import { AppError } from '../../lib/errors.ts';

/** Longest query accepted, in UTF-16 code units. */
export const MAX_QUERY_LENGTH = 500;
/** Most terms (words or phrases) in one query. */
export const MAX_QUERY_TERMS = 32;
/** Fewest characters the last word of a prefix term needs: `a*` would scan a large part of the index. */
export const MIN_PREFIX_LENGTH = 2;

/** One search term: every word in `text` must occur, in order and adjacent. */
export interface QueryTerm {
  /** The term as typed, without its quotes and trailing `*`; never contains `"`. */
  text: string;
  /** The last word is a prefix (`run*`, `"the run"*`). */
  prefix: boolean;
}

/** Characters the unicode61 tokenizer keeps inside words (its default: letters, numbers, private use). */
const WORD_CHAR = /[\p{L}\p{N}\p{Co}]/u;
/** The pattern of one word (for `new RegExp(WORD_CHARS_SOURCE, 'gu')`). */
export const WORD_CHARS_SOURCE = '[\\p{L}\\p{N}\\p{Co}]+';
const WORD_CHARS = new RegExp(WORD_CHARS_SOURCE, 'gu');
/** Control characters (a NUL ends FTS5's query string early) and lone surrogates. */
const UNSAFE = /[\p{Cc}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
const SPACE = /\s/u;
/** Typographic double quotes (what phones and word processors type) count as `"`. */
const CURLY_QUOTES = /[\u201C\u201D\u201E]/g;

/** The words the tokenizer will see in `text` (approximately: before stemming and folding). */
export function termWords(text: string): string[] {
  return text.match(WORD_CHARS) ?? [];
}

/**
 * Parses a query into terms. Words are separated by white space; `"` (or a
 * curly “ ” „) opens a phrase, and an unclosed one runs to the end; a `*`
 * right after a word or a closing quote makes it a prefix. Terms without any
 * word characters (`*`, `)(`, `""`) are dropped.
 * @throws AppError `invalid` for an empty, over-long or word-less query, too
 *   many terms, or a prefix shorter than MIN_PREFIX_LENGTH.
 */
export function parseQueryTerms(userQuery: string): QueryTerm[] {
  if (userQuery.length > MAX_QUERY_LENGTH) {
    throw new AppError('invalid', `a search query must be at most ${MAX_QUERY_LENGTH} characters`);
  }
  const input = userQuery.replace(UNSAFE, ' ').replace(CURLY_QUOTES, '"');
  if (!input.trim()) throw new AppError('invalid', 'a search query must not be empty');

  const raw: QueryTerm[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    let text: string;
    if (c === '"') {
      const close = input.indexOf('"', i + 1);
      const end = close === -1 ? input.length : close;
      text = input.slice(i + 1, end);
      i = close === -1 ? end : end + 1;
    } else {
      let end = i;
      while (end < input.length && input[end] !== '"' && !SPACE.test(input[end]!)) end++;
      text = input.slice(i, end);
      i = end;
    }
    let prefix = false;
    // A bare word's own trailing stars, then any right after it (or after a closing quote).
    const stars = /\*+$/.exec(text);
    if (stars) {
      text = text.slice(0, stars.index);
      prefix = true;
    }
    while (input[i] === '*') {
      i++;
      prefix = true;
    }
    raw.push({ text, prefix });
  }

  const terms = raw.filter((t) => WORD_CHAR.test(t.text));
  if (terms.length === 0) throw new AppError('invalid', 'a search query needs at least one word (letters or digits)');
  if (terms.length > MAX_QUERY_TERMS) throw new AppError('invalid', `a search query may have at most ${MAX_QUERY_TERMS} words or phrases`);
  for (const t of terms) {
    // FTS5 applies `*` to the last word of the term.
    const last = termWords(t.text).at(-1) ?? '';
    if (t.prefix && [...last].length < MIN_PREFIX_LENGTH) {
      throw new AppError('invalid', `a prefix search needs at least ${MIN_PREFIX_LENGTH} letters or digits before the *`);
    }
  }
  return terms;
}
