/**
 * The answer every surface gives (MCP `semantic_search`, REST
 * `/api/v1/semantic-search`, the search page's "by meaning"): hybrid results
 * by meaning when the wiki has an index for the configured model, otherwise
 * keyword results with a plain notice why. Runtime-neutral.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../lib/db.ts';
import { searchPages, type SearchSource } from '../search/search-pages.ts';
import { snippetToText } from '../search/snippet.ts';
import type { EmbeddingProvider } from './embeddings.ts';
import { clampInt, DEFAULT_RESULTS, MAX_RESULTS, semanticSearch, type SemanticHit, type SemanticSearchOptions } from './search.ts';

export interface KeywordHit {
  path: string;
  title: string;
  /** Up to 32 words around the matches, as plain text. */
  snippet: string;
  score: number;
}

export type MeaningAnswer =
  | { mode: 'meaning'; query: string; notice: string | null; results: SemanticHit[] }
  | { mode: 'keyword'; query: string; notice: string; total: number; results: KeywordHit[] };

export const OFF_NOTICE = 'Meaning-based (semantic) search is off: this wiki farm has no embedding provider configured. These are keyword (full-text) results instead; if they miss, try other words.';

async function keywordAnswer(source: SearchSource, wikiId: string, query: string, n: number, notice: string): Promise<MeaningAnswer> {
  const found = await searchPages(source, wikiId, query, { limit: n, offset: 0 });
  return { mode: 'keyword', query, notice, total: found.total, results: found.results.map((r) => ({ path: r.path, title: r.title, snippet: snippetToText(r.snippet), score: r.score })) };
}

function pages(n: number): string {
  return `${n} ${n === 1 ? 'page' : 'pages'}`;
}

/** Searches wiki `wikiId` by meaning if it can, by words if it cannot (saying why). */
export async function searchByMeaning(source: SearchSource, provider: EmbeddingProvider | null, wikiId: string, query: string, options: SemanticSearchOptions = {}): Promise<MeaningAnswer> {
  const n = clampInt(options.n, 1, MAX_RESULTS, DEFAULT_RESULTS);
  if (!provider) return keywordAnswer(source, wikiId, query, n, OFF_NOTICE);
  let found;
  try {
    found = await semanticSearch(source.db, provider, wikiId, query, options);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return keywordAnswer(source, wikiId, query, n, `Meaning-based search is unavailable right now (${why}). These are keyword (full-text) results instead.`);
  }
  if (!found) {
    const [row] = await source.db.all<{ pending: number }>(sql`select count(*) as pending from semantic_queue where wiki_id = ${wikiId}`);
    const pending = Number(row?.pending ?? 0);
    return keywordAnswer(source, wikiId, query, n, `This wiki's meaning-based index is being built${pending ? ` (${pages(pending)} to go)` : ''}. These are keyword (full-text) results meanwhile.`);
  }
  const notice = found.pending ? `${pages(found.pending)} of this wiki ${found.pending === 1 ? 'is' : 'are'} waiting to be indexed; their latest changes may be missing from these results.` : null;
  return { mode: 'meaning', query, notice, results: found.results };
}
