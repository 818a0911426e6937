/**
 * Keyword search over one wiki's pages: FTS5 over `pages_fts`, ranked with
 * bm25 (title weighted above body), joined to `pages` for path and title.
 * Snippets are made in the worker from the pages' text (makeSnippet), in
 * time linear in the text.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../lib/db.ts';
import { BoundedCache } from '../../lib/bounded-cache.ts';
import { AppError } from '../../lib/errors.ts';
import { frontmatterEnd } from '../edit/frontmatter-span.ts';
import type { ObjectReading } from '../git/object-reader.ts';
import { recall, remember } from '../service/head-cache.ts';
import { makeSnippet, TermMatcher } from './make-snippet.ts';
import { matchExpression } from './match-query.ts';
import { parseQueryTerms } from './query-terms.ts';
import { relativeScore } from './score.ts';

/** Results per page when the caller does not say. */
export const DEFAULT_SEARCH_LIMIT = 20;
/** Most results per page. */
export const MAX_SEARCH_LIMIT = 100;
/** Deepest offset served: paging further means the query should be narrower. */
export const MAX_SEARCH_OFFSET = 10_000;

/** bm25 column weights for `pages_fts(wiki, title, body)`: the id counts for nothing, a title word ten body words. */
const RANK = 'bm25(0.0, 10.0, 1.0)';
/** Fewest ranked hits read when a later page of results is asked for (then remembered for the head). */
const RANKED_READ_MIN = 200;
/** Most ranked hits remembered for one query; a page deeper than this is read on its own. */
const RANKED_READ_MAX = 1000;

/** Where search reads: the index, and the repository's blobs for snippets. */
export interface SearchSource {
  db: Db;
  reader: Pick<ObjectReading, 'blob'>;
}

/** Which page of results to return. */
export interface SearchOptions {
  /** Results per page, 1..MAX_SEARCH_LIMIT; default DEFAULT_SEARCH_LIMIT. */
  limit?: number;
  /** Results to skip, 0..MAX_SEARCH_OFFSET; default 0. */
  offset?: number;
  /**
   * The wiki's head commit, when the caller knows it: the query's total and
   * ranking are then remembered for that head, so further pages of the same
   * results rank the matches once.
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
   * matched. Show it through snippetToHtml or snippetToText, never as it is.
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

/** A match as the index ranks it. */
interface RankedRow {
  path: string;
  title: string;
  blobOid: string;
  rank: number;
}

/** The best `hits` of a query, how many match in all, and the best rank among them. */
interface Ranking {
  hits: RankedRow[];
  total: number;
  best: number;
}

function boundedInteger(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new AppError('invalid', `${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/**
 * The ranked hits for MATCH expression `match` in wiki `wikiId`, best first.
 * `order by rank` with `rank match` lets FTS5 sort by the weighted bm25
 * itself; `cross join` keeps pages_fts the outer loop (pages is looked up by
 * rowid).
 */
export function searchHitsSql(wikiId: string, match: string, limit: number, offset: number): SQL {
  return sql`select pages.path as path, pages.title as title, pages.blob_oid as blobOid, pages_fts.rank as rank
    from pages_fts cross join pages on pages.rowid = pages_fts.rowid
    where pages_fts match ${match} and pages_fts.rank match ${RANK} and pages.wiki_id = ${wikiId}
    order by pages_fts.rank
    limit ${limit} offset ${offset}`;
}

/** How many pages of wiki `wikiId` match `match`, without ranking them (a fifth of a ranked count's work). */
function searchTotalSql(wikiId: string, match: string): SQL {
  return sql`select count(*) as total, null as best
    from pages_fts cross join pages on pages.rowid = pages_fts.rowid
    where pages_fts match ${match} and pages.wiki_id = ${wikiId}`;
}

/** How many pages of wiki `wikiId` match `match`, and the best (most negative) rank among them: ranks every match. */
function searchCountSql(wikiId: string, match: string): SQL {
  return sql`select count(*) as total, min(pages_fts.rank) as best
    from pages_fts cross join pages on pages.rowid = pages_fts.rowid
    where pages_fts match ${match} and pages_fts.rank match ${RANK} and pages.wiki_id = ${wikiId}`;
}

function rankedRows(rows: RankedRow[]): RankedRow[] {
  return rows.map((r) => ({ path: r.path, title: r.title, blobOid: r.blobOid, rank: Number(r.rank) }));
}

/**
 * One round trip: hits `offset`..`offset + count` and the total, read in one
 * transaction. From the first hit on, the first is the best match, so the
 * count need not rank; a deeper page ranks them all for the best.
 */
async function rankFromIndex(db: Db, wikiId: string, match: string, count: number, offset: number): Promise<Ranking> {
  const [rows, totals] = await db.batch([
    db.all<RankedRow>(searchHitsSql(wikiId, match, count, offset)),
    db.all<{ total: number; best: number | null }>(offset === 0 ? searchTotalSql(wikiId, match) : searchCountSql(wikiId, match)),
  ]);
  const hits = rankedRows(rows);
  return { hits, total: Number(totals[0]?.total ?? 0), best: Number((offset === 0 ? hits[0]?.rank : totals[0]?.best) ?? 0) };
}

function rankingSize(r: Ranking): number {
  let size = 64;
  for (const h of r.hits) size += 96 + (h.path.length + h.title.length + h.blobOid.length) * 2;
  return size;
}

/**
 * Hits `offset`..`offset + limit` of the query, its total and best rank.
 * Remembered for `head`: a first page as it was read (most queries end
 * there); for a later page, the best max(2 × (offset + limit),
 * RANKED_READ_MIN) hits up to RANKED_READ_MAX, so paging on ranks the
 * matches once, not per page. Deeper pages, and any page without a head,
 * are read on their own.
 */
async function rankedPage(db: Db, wikiId: string, match: string, limit: number, offset: number, head: string | undefined): Promise<Ranking> {
  const key = head === undefined ? null : `search-ranking:${wikiId}:${head}:${match}`;
  let ranking = key === null ? undefined : recall<Ranking>(key);
  const covers = (r: Ranking) => offset + limit <= r.hits.length || r.hits.length >= r.total;
  if (!ranking || !covers(ranking)) {
    if (key === null || offset + limit > RANKED_READ_MAX) return rankFromIndex(db, wikiId, match, limit, offset);
    const count = offset === 0 ? limit : Math.min(Math.max(2 * (offset + limit), RANKED_READ_MIN), RANKED_READ_MAX);
    ranking = await rankFromIndex(db, wikiId, match, count, 0);
    remember(key, ranking, rankingSize(ranking));
  }
  return { hits: ranking.hits.slice(offset, offset + limit), total: ranking.total, best: ranking.best };
}

const decoder = new TextDecoder();

/**
 * Snippets made, by page blob and MATCH expression. A blob's text never
 * changes, so a snippet stays right across writes to other pages, which
 * move the head and so every head-keyed answer.
 */
const SNIPPETS = new BoundedCache<string>({ maxEntries: 20_000, maxSize: 8 * 1024 * 1024 });

/** The snippet of the page with blob `blobOid` for the query (`match`, `matcher`), remembered. */
async function snippetOf(reader: SearchSource['reader'], blobOid: string, match: string, matcher: TermMatcher): Promise<string> {
  const key = `${blobOid}\u0000${match}`;
  const known = SNIPPETS.get(key);
  if (known !== undefined) return known;
  const snippet = makeSnippet(await pageBody(reader, blobOid), matcher);
  SNIPPETS.set(key, snippet, 64 + (key.length + snippet.length) * 2);
  return snippet;
}

/** A page's body (its text after any frontmatter), or '' when its blob cannot be read. */
async function pageBody(reader: SearchSource['reader'], blobOid: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await reader.blob(blobOid);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return '';
    throw err;
  }
  const text = decoder.decode(bytes);
  return text.slice(frontmatterEnd(text));
}

/**
 * Searches the pages of wiki `wikiId` for `query` (see parseQueryTerms for
 * what a query may hold), best first. The wiki is enforced twice: in the
 * MATCH expression (so FTS5 ranks only this wiki's rows) and on the joined
 * `pages` row (exact, whatever the tokenizer does to ids).
 * @throws AppError `invalid` for an unusable query, limit or offset.
 */
export async function searchPages(source: SearchSource, wikiId: string, query: string, options: SearchOptions = {}): Promise<SearchResults> {
  const limit = boundedInteger(options.limit, DEFAULT_SEARCH_LIMIT, 1, MAX_SEARCH_LIMIT, 'limit');
  const offset = boundedInteger(options.offset, 0, 0, MAX_SEARCH_OFFSET, 'offset');
  const terms = parseQueryTerms(query);
  const match = matchExpression(wikiId, terms);
  const { hits, total, best } = await rankedPage(source.db, wikiId, match, limit, offset, options.head);
  const matcher = new TermMatcher(terms);
  const snippets = await Promise.all(hits.map((h) => snippetOf(source.reader, h.blobOid, match, matcher)));
  return {
    results: hits.map((h, i) => ({ path: h.path, title: h.title, snippet: snippets[i]!, score: relativeScore(h.rank, best) })),
    total,
  };
}
