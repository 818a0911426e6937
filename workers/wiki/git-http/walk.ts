/**
 * The history walks of upload-pack, after git's own: which commits the client
 * lacks (`rev-list wants --not haves`, newest first, stopping once only
 * excluded commits remain), whether every want already has a common ancestor
 * (`ok_to_give_up`), the shallow boundary of a `--depth` fetch, and the trees
 * and blobs those commits need beyond what the client's edge commits hold.
 */
import { PriorityQueue } from '../git/priority-queue.ts';
import type { ParsedReader } from './parsed-reader.ts';
import { scanTree, type ObjectType } from '../git/objects.ts';

/** Extra commits looked at once only excluded ones remain (git's SLOP, for clock skew). */
const SLOP = 5;

interface Node {
  oid: string;
  time: number;
  seq: number;
}

/**
 * The commits reachable from `include` and not from `exclude`, newest first,
 * treating commits in `shallow` as having no parents. Also returns the
 * excluded commits that are parents of included ones (the edge).
 */
export async function commitsToSend(reader: ParsedReader, include: readonly string[], exclude: readonly string[], shallow: ReadonlySet<string>): Promise<{ commits: string[]; edges: string[] }> {
  const state = new Map<string, { excluded: boolean; parents: string[] | null }>();
  let seq = 0;
  const queue = new PriorityQueue<Node>((a, b) => a.time > b.time || (a.time === b.time && a.seq < b.seq));
  const parentsOf = async (oid: string) => (shallow.has(oid) ? [] : (await reader.commit(oid)).parent);
  const markExcluded = (oid: string) => {
    const stack = [oid];
    while (stack.length) {
      const s = state.get(stack.pop()!);
      if (!s || s.excluded) continue;
      s.excluded = true;
      if (s.parents) stack.push(...s.parents);
    }
  };
  const enqueue = async (oid: string, excluded: boolean) => {
    const known = state.get(oid);
    if (known) {
      if (excluded) markExcluded(oid);
      return;
    }
    state.set(oid, { excluded, parents: null });
    const commit = await reader.commit(oid);
    queue.push({ oid, time: commit.committer.timestamp, seq: seq++ });
  };
  for (const oid of exclude) await enqueue(oid, true);
  for (const oid of include) await enqueue(oid, false);
  const taken: Node[] = [];
  let slop = SLOP;
  let oldestTaken = Number.POSITIVE_INFINITY;
  for (let node = queue.pop(); node; node = queue.pop()) {
    const s = state.get(node.oid)!;
    const parents = await parentsOf(node.oid);
    s.parents = [...parents];
    if (s.excluded) {
      for (const p of parents) await enqueue(p, true);
      const next = queue.peek();
      if (!next) break;
      const onlyExcluded = queue.values().every((q) => state.get(q.oid)?.excluded === true);
      if (oldestTaken <= next.time || !onlyExcluded) slop = SLOP;
      else if (--slop === 0) break;
      continue;
    }
    taken.push(node);
    oldestTaken = node.time;
    for (const p of parents) await enqueue(p, false);
  }
  const commits = taken.filter((n) => !state.get(n.oid)!.excluded).map((n) => n.oid);
  const edges = new Set<string>();
  for (const oid of commits) for (const p of state.get(oid)!.parents ?? []) if (state.get(p)?.excluded) edges.add(p);
  return { commits, edges: [...edges] };
}

/** True when `ancestor` is `descendant` or one of its ancestors (walks no further back than `ancestor`'s time, less slop). */
export async function isAncestor(reader: ParsedReader, ancestor: string, descendant: string): Promise<boolean> {
  if (ancestor === descendant) return true;
  const cutoff = (await reader.commit(ancestor)).committer.timestamp - 86_400;
  const seen = new Set<string>([descendant]);
  const stack = [descendant];
  while (stack.length) {
    const commit = await reader.commit(stack.pop()!);
    for (const p of commit.parent) {
      if (p === ancestor) return true;
      if (seen.has(p)) continue;
      seen.add(p);
      const parent = await reader.commit(p);
      if (parent.committer.timestamp >= cutoff) stack.push(p);
    }
  }
  return false;
}

/**
 * git's `ok_to_give_up`: every want reaches a commit the client has, looking
 * no further back than the oldest commit the client named (`oldest`).
 */
export async function allWantsReachCommon(reader: ParsedReader, wants: readonly string[], theyHave: ReadonlySet<string>, oldest: number, memo: Map<string, boolean>): Promise<boolean> {
  if (theyHave.size === 0) return false;
  for (const want of wants) {
    if (memo.get(want) === true) continue;
    const seen = new Set<string>();
    const stack = [want];
    let found = false;
    while (stack.length && !found) {
      const oid = stack.pop()!;
      if (seen.has(oid)) continue;
      seen.add(oid);
      if (theyHave.has(oid) || memo.get(oid) === true) {
        found = true;
        break;
      }
      const commit = await reader.commit(oid);
      if (commit.committer.timestamp < oldest) continue;
      stack.push(...commit.parent);
    }
    if (!found) return false;
    memo.set(want, true);
  }
  return true;
}

/**
 * The shallow boundary of a fetch with `depth` (git's get_shallow_commits):
 * commits `depth` steps from the wants are cut (their parents not sent);
 * `within` are the commits nearer than that.
 */
export async function shallowBoundary(reader: ParsedReader, wants: readonly string[], depth: number): Promise<{ boundary: Set<string>; within: Set<string> }> {
  const best = new Map<string, number>();
  const boundary = new Set<string>();
  const within = new Set<string>();
  let frontier = wants.map((oid) => ({ oid, depth: 0 }));
  for (const f of frontier) best.set(f.oid, 0);
  while (frontier.length) {
    const next: { oid: string; depth: number }[] = [];
    for (const { oid, depth: d } of frontier) {
      if (best.get(oid)! < d) continue;
      if (d + 1 >= depth) {
        boundary.add(oid);
        continue;
      }
      within.add(oid);
      for (const p of (await reader.commit(oid)).parent) {
        const known = best.get(p);
        if (known !== undefined && known <= d + 1) continue;
        best.set(p, d + 1);
        next.push({ oid: p, depth: d + 1 });
      }
    }
    frontier = next;
  }
  for (const oid of within) boundary.delete(oid);
  return { boundary, within };
}

export interface ObjectToSend {
  oid: string;
  type: ObjectType;
}

/**
 * Every tree and blob the `commits` need that is not in the trees of the
 * `edges` (commits the client has), each once; also the set of objects the
 * edges hold (the client has them: bases for a thin pack). Reads trees
 * `concurrency` at a time and scans them without decoding names.
 */
export async function objectsToSend(reader: ParsedReader, commits: readonly string[], edges: readonly string[], options: { concurrency?: number } = {}): Promise<{ objects: ObjectToSend[]; known: Set<string> }> {
  const concurrency = options.concurrency ?? 8;
  const seen = new Set<string>();
  // Everything in the client's edge trees is excluded (git's mark_edges_uninteresting).
  await forEachTree(reader, await Promise.all(edges.map((e) => reader.rootTree(e))), seen, concurrency, null);
  const known = new Set(seen);
  const objects: ObjectToSend[] = [];
  const roots = await Promise.all(commits.map((c) => reader.rootTree(c)));
  await forEachTree(reader, roots, seen, concurrency, objects);
  return { objects, known };
}

/**
 * Visits every tree reachable from `roots` that is not in `seen`, adding it
 * and its blobs to `seen` and (when given) to `out`.
 */
async function forEachTree(reader: ParsedReader, roots: readonly string[], seen: Set<string>, concurrency: number, out: ObjectToSend[] | null): Promise<void> {
  const queue: string[] = [];
  for (const r of roots) {
    if (!seen.has(r)) {
      seen.add(r);
      queue.push(r);
    }
  }
  const visit = (kind: 'tree' | 'blob' | 'commit', oid: string) => {
    if (kind === 'commit' || seen.has(oid)) return;
    seen.add(oid);
    if (kind === 'tree') queue.push(oid);
    else out?.push({ oid, type: 'blob' });
  };
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const oid = queue[next++]!;
      out?.push({ oid, type: 'tree' });
      scanTree((await reader.object(oid, 'tree')).data, visit);
    }
  };
  // Workers share the queue; one finishing early while others still add trees is restarted below.
  while (next < queue.length) await Promise.all(Array.from({ length: concurrency }, worker));
}
