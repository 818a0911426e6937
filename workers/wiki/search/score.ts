/**
 * Search scores on a 0..1 scale. FTS5's bm25() is negative, more negative
 * being better, and its statistics (document count, average length, how many
 * documents hold a word) span every wiki in the shared index, so its raw
 * values mean little (for a word in most pages they are ~1e-6) and would hint
 * at other wikis' contents. Dividing by the best result of the same query
 * cancels the word weights (IDF) of a one-word query entirely and gives a
 * stable meaning: 1 is "as good as the best hit". What remains shared is the
 * store-wide average length in bm25's length normalisation.
 */

/**
 * `bm25 / best`, where `best` is the most negative bm25 among all the query's
 * matches (not just this page of results), rounded to 3 decimals: the top hit
 * scores 1, the others between 0 and 1. Never outside 0..1: a `best` that is
 * not negative (no real match has one) gives 1, a non-finite `bm25` gives 0.
 */
export function relativeScore(bm25: number, best: number): number {
  if (!Number.isFinite(bm25)) return 0;
  if (!(best < 0)) return 1;
  const ratio = Math.min(1, Math.max(0, bm25 / best));
  return Math.round(ratio * 1000) / 1000;
}
