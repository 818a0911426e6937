/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, 2009): each ranked list
 * gives an item `weight / (k + rank)` (rank from 1), and the sums order the
 * fused list. It needs no common scale between the lists — cosine similarity
 * and bm25 have none — and rewards items both lists agree on. Pure.
 */

/** The customary constant: large enough that the first few ranks of a list do not dominate. */
export const RRF_K = 60;

export interface RankedList<Id> {
  /** Best first. */
  ids: readonly Id[];
  weight?: number;
}

export interface Fused<Id> {
  id: Id;
  /** Sum of weight / (k + rank) over the lists holding the id. */
  score: number;
  /** The id's rank (from 1) in each list, or null where absent. */
  ranks: (number | null)[];
}

/** The fused ranking, best first; ties keep the order in which ids were first met (list by list). */
export function reciprocalRankFusion<Id>(lists: readonly RankedList<Id>[], k = RRF_K): Fused<Id>[] {
  const byId = new Map<Id, Fused<Id>>();
  lists.forEach((list, li) => {
    const weight = list.weight ?? 1;
    list.ids.forEach((id, i) => {
      let f = byId.get(id);
      if (!f) {
        f = { id, score: 0, ranks: lists.map(() => null) };
        byId.set(id, f);
      }
      if (f.ranks[li] !== null) return; // a list names an id once: its best rank counts
      f.ranks[li] = i + 1;
      f.score += weight / (k + i + 1);
    });
  });
  return [...byId.values()].sort((a, b) => b.score - a.score);
}

/** The best score an item can get from `lists`: first in every one. Divides scores onto 0..1. */
export function bestPossibleScore(lists: readonly RankedList<unknown>[], k = RRF_K): number {
  return lists.reduce((sum, l) => sum + (l.weight ?? 1) / (k + 1), 0);
}

/** Keeps at most `perGroup` items of each group (best first, as given), then the first `limit`. */
export function capPerGroup<T>(items: readonly T[], groupOf: (item: T) => string, perGroup: number, limit: number): T[] {
  const seen = new Map<string, number>();
  const out: T[] = [];
  for (const item of items) {
    const g = groupOf(item);
    const n = seen.get(g) ?? 0;
    if (n >= perGroup) continue;
    seen.set(g, n + 1);
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
