/**
 * Keyword search over one wiki's pages: FTS5 over `pages_fts`, ranked with
 * bm25 (title weighted above body), joined to `pages` for path and title.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../lib/db.ts';
import { AppError } from '../../lib/errors.ts';
import { recall, remember } from '../service/head-cache.ts';
import { buildMatchQuery } from './match-query.ts';
import { relativeScore } from './score.ts';
import { SNIPPET_CLOSE, SNIPPET_ELLIPSIS, SNIPPET_OPEN } from './snippet.ts';

/** Results per page when the caller does not say. */
export const DEFAULT_SEARCH_LIMIT = 20;
/** Most results per page. */
export const MAX_SEARCH_LIMIT = 100;
/** Deepest offset served: paging further means the query should be narrower. */
export const MAX_SEARCH_OFFSET = 10_000;

/** bm25 column weights for `pages_fts(wiki, title, body)`: the id counts for nothing, a title word ten body words. */
const RANK = 'bm25(0.0, 10.0, 1.0)';
/** Column index of `body` in `pages_fts`. */
const BODY_COLUMN = 2;
/**
 * Largest page (bytes) whose snippet FTS5 makes. snippet()'s work grows with
 * the square of how often the query's words occur in the page: a 100 KB page
 * of one repeated word took 1.6 s of sqld's time per search, and a 1 MB one
 * would take minutes, in the store every wiki shares. Larger pages show
 * their opening words instead (EXCERPT_CHARS, cut to SNIPPET_TOKENS words).
 */
export const SNIPPET_MAX_PAGE_BYTES = 8 * 1024;
/** Characters of a larger page's body read for its excerpt. */
const EXCERPT_CHARS = 400;
/** Words per snippet (FTS5 allows up to 64). */
const SNIPPET_TOKENS = 32;

/** Which page of results to return. */
export interface SearchOptions {
  /** Results per page, 1..MAX_SEARCH_LIMIT; default DEFAULT_SEARCH_LIMIT. */
  limit?: number;
  /** Results to skip, 0..MAX_SEARCH_OFFSET; default 0. */
  offset?: number;
  /**
   * The wiki's head commit, when the caller knows it: the query's total and
   * best rank are then remembered for that head, so further pages of the
   * same results rank the matches once, not twice.
   */
  head?: string;
}

/** One matching page. */
export interface SearchHit {
  /** The page key. */
  path: string;
  title: string;
  /**
   * Up to 32 words of the body (markdown source) with matches between SNIPPET_OPEN and
   * SNIPPET_CLOSE and SNIPPET_ELLIPSIS where cut; the body's start when only the title
   * matched, or when the page is over SNIPPET_MAX_PAGE_BYTES (then without highlights). Show it through snippetToHtml or snippetToText, never as it is.
   */
  snippet: string;
  /** 0..1, higher is better: bm25 relative to the query's best match (see relativeScore). */
  score: number;
}

/** A page of hits, best first, and how many there are in all. */
export interface SearchResults {
  results: SearchHit[];
  /** Every match in this wiki, not just this page of results. */
  total: number;
}

interface HitRow {
  path: string;
  title: string;
  snippet: string | null;
  /** 1 when `snippet` is the page's opening text rather than FTS5's snippet. */
  excerpt: number;
  rank: number;
}

/** A large page's opening text as a snippet: its first SNIPPET_TOKENS words, an ellipsis when cut. */
function openingWords(text: string): string {
  const words = text.trim().split(/\s+/);
  return words.length > SNIPPET_TOKENS ? `${words.slice(0, SNIPPET_TOKENS).join(' ')}${SNIPPET_ELLIPSIS}` : words.join(' ');
}

interface CountRow {
  total: number;
  best: number | null;
}

function boundedInteger(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new AppError('invalid', `${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/**
 * The page of hits for MATCH expression `match` in wiki `wikiId`. `order by
 * rank` with `rank match` lets FTS5 sort by the weighted bm25 itself and hand
 * rows over best first, so snippet() runs only for the rows returned; `cross
 * join` keeps pages_fts the outer loop (pages is looked up by rowid).
 */
export function searchHitsSql(wikiId: string, match: string, limit: number, offset: number): SQL {
  return sql`select pages.path as path, pages.title as title,
      case when pages.size <= ${SNIPPET_MAX_PAGE_BYTES}
        then snippet(pages_fts, ${BODY_COLUMN}, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, ${SNIPPET_ELLIPSIS}, ${SNIPPET_TOKENS})
        else substr(pages_fts.body, 1, ${EXCERPT_CHARS}) end as snippet,
      pages.size > ${SNIPPET_MAX_PAGE_BYTES} as excerpt,
      pages_fts.rank as rank
    from pages_fts cross join pages on pages.rowid = pages_fts.rowid
    where pages_fts match ${match} and pages_fts.rank match ${RANK} and pages.wiki_id = ${wikiId}
    order by pages_fts.rank
    limit ${limit} offset ${offset}`;
}

/** How many pages of wiki `wikiId` match `match`, and the best (most negative) rank among them: ranks every match. */
function searchCountSql(wikiId: string, match: string): SQL {
  return sql`select count(*) as total, min(pages_fts.rank) as best
    from pages_fts cross join pages on pages.rowid = pages_fts.rowid
    where pages_fts match ${match} and pages_fts.rank match ${RANK} and pages.wiki_id = ${wikiId}`;
}

/** How many pages of wiki `wikiId` match `match`, without ranking them (a fifth of the ranked count's work). */
function searchTotalSql(wikiId: string, match: string): SQL {
  return sql`select count(*) as total, null as best
    from pages_fts cross join pages on pages.rowid = pages_fts.rowid
    where pages_fts match ${match} and pages.wiki_id = ${wikiId}`;
}

/** A query's total and best rank at one head. */
interface Totals {
  total: number;
  best: number;
}

async function hitsAndTotals(db: Db, wikiId: string, match: string, limit: number, offset: number, head: string | undefined): Promise<{ hits: HitRow[]; totals: Totals }> {
  const key = head === undefined ? null : `search-totals:${wikiId}:${head}:${match}`;
  const known = key === null ? undefined : recall<Totals>(key);
  if (known) return { hits: await db.all<HitRow>(searchHitsSql(wikiId, match, limit, offset)), totals: known };
  // The first page's first hit is the best match: only later pages need every match ranked for it.
  const [hits, counts] = await db.batch([db.all<HitRow>(searchHitsSql(wikiId, match, limit, offset)), db.all<CountRow>(offset === 0 ? searchTotalSql(wikiId, match) : searchCountSql(wikiId, match))]);
  const totals = { total: Number(counts[0]?.total ?? 0), best: Number((offset === 0 ? hits[0]?.rank : counts[0]?.best) ?? 0) };
  if (key !== null) remember(key, totals, 64 + key.length * 2);
  return { hits, totals };
}

/**
 * Searches the pages of wiki `wikiId` for `query` (see parseQueryTerms for
 * what a query may hold), best first. One round trip: a page of hits and the
 * total, read in the same transaction (or the hits alone, when the totals
 * are remembered for `options.head`). The wiki is enforced twice: in the
 * MATCH expression (so FTS5 ranks and snippets only this wiki's rows) and on
 * the joined `pages` row (exact, whatever the tokenizer does to ids).
 * @throws AppError `invalid` for an unusable query, limit or offset.
 */
export async function searchPages(db: Db, wikiId: string, query: string, options: SearchOptions = {}): Promise<SearchResults> {
  const limit = boundedInteger(options.limit, DEFAULT_SEARCH_LIMIT, 1, MAX_SEARCH_LIMIT, 'limit');
  const offset = boundedInteger(options.offset, 0, 0, MAX_SEARCH_OFFSET, 'offset');
  const match = buildMatchQuery(wikiId, query);
  const { hits, totals } = await hitsAndTotals(db, wikiId, match, limit, offset, options.head);
  const { total, best } = totals;
  return {
    results: hits.map((h) => ({ path: h.path, title: h.title, snippet: Number(h.excerpt) ? openingWords(h.snippet ?? '') : (h.snippet ?? ''), score: relativeScore(Number(h.rank), best) })),
    total,
  };
}
