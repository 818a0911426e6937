/**
 * Search by meaning over one wiki's chunks: the nearest chunks by cosine
 * similarity (libSQL's `vector_top_k` over the wiki's own DiskANN index, then
 * exact distances), and the best keyword matches among the same chunks (FTS5,
 * bm25), fused by reciprocal rank. Vector hits under the similarity threshold
 * are dropped before fusion; at most `maxChunksPerPage` chunks per page.
 * Every hit is a whole chunk with its page, heading path and revision.
 *
 * Runtime-neutral: the caller gives the store and the provider.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../lib/db.ts';
import { ftsString } from '../search/match-query.ts';
import { parseQueryTerms } from '../search/query-terms.ts';
import { ftsWikiToken, prefixWords, wikiWordPrefix } from '../search/wiki-words.ts';
import type { EmbeddingProvider } from './embeddings.ts';
import { bestPossibleScore, capPerGroup, reciprocalRankFusion, type RankedList } from './rank-fusion.ts';
import { eq } from 'drizzle-orm';
import { semanticIndexes } from '../../../db/schema.ts';
import { sameModel, vectorBlob, vectorIndexLiteral, vectorTable } from './store.ts';

/** Cosine similarity a vector hit needs (1 identical, 0 unrelated). Models differ; this suits MiniLM-class models. */
export const DEFAULT_MIN_SIMILARITY = 0.3;
export const DEFAULT_RESULTS = 5;
export const MAX_RESULTS = 50;
export const DEFAULT_CHUNKS_PER_PAGE = 2;
export const MAX_CHUNKS_PER_PAGE = 10;
/** A keyword list's hits must score at least this fraction of its best bm25, or they are noise (a stop word). */
const KEYWORD_FLOOR = 0.2;
/** Words that tell FTS5 nothing about meaning; dropped from the keyword side (the vector side sees the whole query). */
const STOP_WORDS = new Set(
  'a an and are as at be been but by can could do does did for from had has have how i if in into is it its me my no not of on or our so than that the their them then there these they this those to was we were what when where which while who whom why will with would you your'.split(' '),
);

export interface SemanticSearchOptions {
  /** Results, 1..MAX_RESULTS (default 5). */
  n?: number;
  /** Chunks per page, 1..MAX_CHUNKS_PER_PAGE (default 2). */
  maxChunksPerPage?: number;
  /** 0..1 (default DEFAULT_MIN_SIMILARITY). */
  minSimilarity?: number;
}

export interface SemanticHit {
  /** The page key. */
  path: string;
  title: string;
  /** Heading path (`Setup > Install`) as read_note's `section` takes it; '' before the first heading. */
  section: string;
  /** The whole chunk. */
  text: string;
  /** 0..1: the fused rank, 1 being first by meaning and by words. */
  score: number;
  /** Cosine similarity to the query, when the chunk was among the nearest by meaning. */
  similarity: number | null;
  /** The page's revision the chunk was made from. */
  revision: string;
  chunkIndex: number;
  chunkCount: number;
  /** Which side found it. */
  matched: ('meaning' | 'words')[];
}

export interface SemanticResults {
  results: SemanticHit[];
  /** Pages waiting to be (re)indexed: results may miss their latest text meanwhile. */
  pending: number;
}

interface ChunkRow {
  id: number;
  page: string;
  title: string;
  section: string;
  text: string;
  revision: string;
  chunk_index: number;
  chunk_count: number;
}

export function clampInt(v: number | undefined, min: number, max: number, fallback: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(v)));
}

/**
 * An FTS5 MATCH over `semantic_chunks_fts` for the words of `query` (stop
 * words dropped), any of them (ranked by bm25), in the wiki's prefixed words
 * (chunk-words.ts) and confined to the wiki; null when no word is left.
 */
export function keywordMatch(wikiId: string, query: string): string | null {
  let terms;
  try {
    terms = parseQueryTerms(query);
  } catch {
    return null;
  }
  const kept = terms.filter((t) => !STOP_WORDS.has(t.text.toLowerCase())).slice(0, 16);
  if (!kept.length) return null;
  const wordPrefix = wikiWordPrefix(wikiId);
  return `wiki : ${ftsString(ftsWikiToken(wikiId))} AND (${kept.map((t) => `{section text} : ${ftsString(prefixWords(wordPrefix, t.text))}${t.prefix ? ' *' : ''}`).join(' OR ')})`;
}

/** The chunk columns every query returns, with the page's title; only chunks of pages that still exist. */
const CHUNK_COLUMNS = sql`c.id as id, c.page as page, p.title as title, c.section as section, c.text as text, c.revision as revision, c.chunk_index as chunk_index, c.chunk_count as chunk_count`;

/**
 * Searches wiki `wikiId` by meaning. Throws the provider's error when the
 * query cannot be embedded (the caller falls back to keyword search), and
 * returns null when the wiki has no index for the provider's model yet.
 */
export async function semanticSearch(db: Db, provider: EmbeddingProvider, wikiId: string, query: string, options: SemanticSearchOptions = {}): Promise<SemanticResults | null> {
  const n = clampInt(options.n, 1, MAX_RESULTS, DEFAULT_RESULTS);
  const perPage = clampInt(options.maxChunksPerPage, 1, MAX_CHUNKS_PER_PAGE, DEFAULT_CHUNKS_PER_PAGE);
  const minSimilarity = Math.min(1, Math.max(-1, options.minSimilarity ?? DEFAULT_MIN_SIMILARITY));
  // What does not need the query's vector (the index row, the keyword side, the queue count) is one
  // round trip made while the provider embeds the query; then the vector query.
  const match = keywordMatch(wikiId, query);
  const embedP = provider.embed([query], { timeoutMs: 10_000, retries: 1 });
  embedP.catch(() => {}); // observed below, or moot when the wiki has no index
  const k = Math.min(200, Math.max(40, n * perPage * 4)); // enough that the per-page cap and the threshold still leave `n`
  const [indexRows, words, pendingRows] = await db.batch([
    db.select().from(semanticIndexes).where(eq(semanticIndexes.wikiId, wikiId)),
    match
      ? db.all<ChunkRow & { rank: number }>(sql`select ${CHUNK_COLUMNS}, f.rank as rank
          from semantic_chunks_fts f cross join semantic_chunks c on c.id = f.rowid
          join pages p on p.wiki_id = c.wiki_id and p.path = c.page
          where semantic_chunks_fts match ${match} and f.rank match 'bm25(0.0, 2.0, 1.0)' and c.wiki_id = ${wikiId}
          order by f.rank limit ${k}`)
      : db.all<ChunkRow & { rank: number }>(sql`select ${CHUNK_COLUMNS}, 0 as rank from semantic_chunks c join pages p on p.wiki_id = c.wiki_id and p.path = c.page where 0`),
    db.all<{ pending: number }>(sql`select count(*) as pending from semantic_queue where wiki_id = ${wikiId}`),
  ]);
  const index = indexRows[0];
  const dimensions = await provider.dimensions();
  if (!index || !sameModel(index, { provider: provider.kind, model: provider.model, dimensions })) return null;
  const { vectors } = await embedP;
  const q = vectorBlob(vectors[0]!);
  const table = vectorTable(index.vectorTable);
  const nearest = await db.all<ChunkRow & { distance: number }>(sql`select ${CHUNK_COLUMNS}, vector_distance_cos(v.embedding, vector32(${q})) as distance
    from vector_top_k(${vectorIndexLiteral(index.vectorTable)}, vector32(${q}), ${k}) t
    join ${table} v on v.id = t.id
    join semantic_chunks c on c.id = t.id
    join pages p on p.wiki_id = c.wiki_id and p.path = c.page
    where c.wiki_id = ${wikiId}
    order by distance limit ${k}`);

  const rows = new Map<number, ChunkRow>();
  const similarity = new Map<number, number>();
  const byMeaning: number[] = [];
  for (const r of nearest) {
    const s = 1 - Number(r.distance);
    if (!(s >= minSimilarity)) continue;
    const id = Number(r.id);
    rows.set(id, r);
    similarity.set(id, s);
    byMeaning.push(id);
  }
  const best = words.length ? Number(words[0]!.rank) : 0;
  const byWords: number[] = [];
  for (const r of words) {
    if (best < 0 && Number(r.rank) / best < KEYWORD_FLOOR) break;
    const id = Number(r.id);
    if (!rows.has(id)) rows.set(id, r);
    byWords.push(id);
  }

  const lists: RankedList<number>[] = [{ ids: byMeaning }, { ids: byWords }];
  const top = bestPossibleScore(lists);
  const fused = reciprocalRankFusion(lists);
  const capped = capPerGroup(fused, (f) => rows.get(f.id)!.page, perPage, n);
  return {
    pending: Number(pendingRows[0]?.pending ?? 0),
    results: capped.map((f) => {
      const r = rows.get(f.id)!;
      const s = similarity.get(f.id);
      return {
        path: r.page,
        title: r.title,
        section: r.section,
        text: r.text,
        score: Math.round((f.score / top) * 1000) / 1000,
        similarity: s === undefined ? null : Math.round(s * 1000) / 1000,
        revision: r.revision,
        chunkIndex: Number(r.chunk_index),
        chunkCount: Number(r.chunk_count),
        matched: [...(f.ranks[0] !== null ? (['meaning'] as const) : []), ...(f.ranks[1] !== null ? (['words'] as const) : [])],
      };
    }),
  };
}
