/**
 * The REST API of meaning-based search, at robot.wtf's addresses:
 *
 * - `GET /api/v1/semantic-search?q=&n=5&max_chunks_per_page=2&min_similarity=0.3`
 *   (read): whole chunks by meaning and words, or keyword results and a notice;
 * - `POST /api/v1/reindex` (write): re-embed the whole wiki; `202` and the status;
 *   `409` while one runs; `503` when no provider is configured;
 * - `GET /api/v1/reindex/status` (read): provider, model, counts and progress.
 *
 * Mounted before the main API so that its per-head answer cache never serves
 * these (chunks change after the head does).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import { apiRequest, type ApiEnv } from '../api/api-request.ts';
import { searchByMeaning, type MeaningAnswer } from './answer.ts';
import { drainSoon, providerFor } from './runner.ts';
import { MAX_CHUNKS_PER_PAGE, MAX_RESULTS } from './search.ts';
import { reindexWiki, semanticStatus } from './status.ts';

const searchQuery = z.object({
  q: z.string({ error: "the query parameter 'q' is required" }).min(1, "the query parameter 'q' is required").max(500),
  n: z.coerce.number().int().min(1).max(MAX_RESULTS).default(5),
  max_chunks_per_page: z.coerce.number().int().min(1).max(MAX_CHUNKS_PER_PAGE).default(2),
  min_similarity: z.coerce.number().min(-1).max(1).optional(),
});

/** The JSON shape of an answer (snake_case, as the rest of the API). */
export function answerJson(a: MeaningAnswer) {
  if (a.mode === 'keyword') return { query: a.query, mode: a.mode, notice: a.notice, total: a.total, results: a.results.map((r) => ({ path: r.path, name: r.title, snippet: r.snippet, score: r.score })) };
  return {
    query: a.query,
    mode: a.mode,
    notice: a.notice,
    total: a.results.length,
    results: a.results.map((r) => ({
      path: r.path,
      name: r.title,
      section: r.section,
      text: r.text,
      score: r.score,
      similarity: r.similarity,
      revision: r.revision,
      chunk_index: r.chunkIndex,
      total_chunks: r.chunkCount,
      matched: r.matched,
    })),
  };
}

export const semanticApi = new Hono<ApiEnv>();

semanticApi.get('/api/v1/semantic-search', async (c) => {
  const q = parseOrThrow(searchQuery, c.req.query(), 'query');
  const { repo } = await apiRequest(c, 'read');
  const answer = await searchByMeaning(repo, providerFor(c.env), repo.wiki.id, q.q, { n: q.n, maxChunksPerPage: q.max_chunks_per_page, ...(q.min_similarity !== undefined ? { minSimilarity: q.min_similarity } : {}) });
  return c.json(answerJson(answer), 200, { 'cache-control': 'private, no-store' });
});

semanticApi.get('/api/v1/reindex/status', async (c) => {
  const { repo } = await apiRequest(c, 'read');
  return c.json(await semanticStatus(repo.db, providerFor(c.env), repo.wiki.id), 200, { 'cache-control': 'private, no-store' });
});

semanticApi.post('/api/v1/reindex', async (c) => {
  const { repo } = await apiRequest(c, 'write');
  const provider = providerFor(c.env);
  if (!provider) throw new AppError('unavailable', 'Meaning-based search is off: this wiki farm has no embedding provider configured (EMBEDDINGS_URL).');
  const status = await reindexWiki(repo.db, provider, repo.wiki.id);
  drainSoon(c.env);
  return c.json(status, 202);
});
