/**
 * Turns a person's query into an FTS5 MATCH expression over `pages_fts`,
 * confined to one wiki inside the expression itself, so FTS5 only ranks and
 * snippets that wiki's rows.
 */
import { AppError } from '../../lib/errors.ts';
import { parseQueryTerms, type QueryTerm } from './query-terms.ts';
import { ftsWikiToken, prefixWords, wikiWordPrefix } from './wiki-words.ts';

/** The columns a person's words may match (never `wiki`, which holds the id). */
const TEXT_COLUMNS = '{title body}';
const WIKI_ID = /^[\p{L}\p{N}_-]{1,100}$/u;

/**
 * An FTS5 string: double-quoted, inner quotes doubled. Inside it every FTS5
 * operator (`*`, `^`, `:`, `(`, `NEAR`, `AND`…) is plain text for the tokenizer.
 */
export function ftsString(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function termExpression(wordPrefix: string, term: QueryTerm): string {
  return `${TEXT_COLUMNS} : ${ftsString(prefixWords(wordPrefix, term.text))}${term.prefix ? ' *' : ''}`;
}

/**
 * A MATCH expression for `userQuery` in wiki `wikiId`: the wiki's id as its
 * one token in the `wiki` column, ANDed with each term as a quoted phrase of
 * the wiki's prefixed words (see wiki-words.ts) restricted to title and body,
 * with ` *` after prefix terms. Example, for a wiki whose prefix is `zkqtb`:
 * `wiki : "wkabc" AND {title body} : "zkqtbcafe" AND {title body} : "zkqtbthe zkqtbrun" *`.
 * @throws AppError `invalid` for a malformed wiki id or an unusable query (see parseQueryTerms).
 */
export function buildMatchQuery(wikiId: string, userQuery: string): string {
  return matchExpression(wikiId, parseQueryTerms(userQuery));
}

/** The MATCH expression for already parsed `terms` (see buildMatchQuery). */
export function matchExpression(wikiId: string, terms: readonly QueryTerm[]): string {
  if (!WIKI_ID.test(wikiId)) throw new AppError('invalid', 'a wiki id must be 1–100 letters, digits, _ or -');
  const wordPrefix = wikiWordPrefix(wikiId);
  return [`wiki : ${ftsString(ftsWikiToken(wikiId))}`, ...terms.map((t) => termExpression(wordPrefix, t))].join(' AND ');
}
