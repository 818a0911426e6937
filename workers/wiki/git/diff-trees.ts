/**
 * What changed between two trees or commits, walking both trees together and
 * skipping every subtree whose id is unchanged (so a one-page edit in a big
 * wiki reads only the trees on that page's path).
 */
import type { TreeEntry } from 'isomorphic-git';
import type { GitFs } from './git-fs.ts';
import { ObjectReader, type ObjectReading } from './object-reader.ts';

/** One changed file. */
export interface FileDiff {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  /** The blob before (absent for `added`). */
  oldOid?: string;
  /** The blob after (absent for `deleted`). */
  newOid?: string;
}

async function walk(reader: ObjectReading, before: string | null, after: string | null, prefix: string, out: FileDiff[]): Promise<void> {
  if (before === after) return;
  const [oldEntries, newEntries] = await Promise.all([
    before === null ? [] : reader.tree(before),
    after === null ? [] : reader.tree(after),
  ]);
  const subtrees: Array<Promise<void>> = [];
  const compare = (o: TreeEntry | undefined, n: TreeEntry | undefined): void => {
    if (o && n && o.oid === n.oid && o.mode === n.mode) return;
    const path = `${prefix}${(o ?? n)!.path}`;
    const oldTree = o?.type === 'tree' ? o.oid : null;
    const newTree = n?.type === 'tree' ? n.oid : null;
    if (oldTree !== null || newTree !== null) subtrees.push(walk(reader, oldTree, newTree, `${path}/`, out));
    const oldBlob = o?.type === 'blob' ? o.oid : null;
    const newBlob = n?.type === 'blob' ? n.oid : null;
    if (oldBlob !== null && newBlob !== null) out.push({ path, status: 'modified', oldOid: oldBlob, newOid: newBlob });
    else if (oldBlob !== null) out.push({ path, status: 'deleted', oldOid: oldBlob });
    else if (newBlob !== null) out.push({ path, status: 'added', newOid: newBlob });
  };
  pairEntries(oldEntries, newEntries, compare);
  await Promise.all(subtrees);
}

/**
 * Calls `pair` with the entries of two trees that have the same name (one of
 * them undefined for a name only one tree has). Trees are sorted, so while
 * both list the same names in the same places they are paired in one pass
 * (a commit usually changes a few entries of a large folder); from the first
 * difference on, by a map of the older tree's remaining entries.
 */
export function pairEntries<E extends { path: string }>(olds: readonly E[], news: readonly E[], pair: (o: E | undefined, n: E | undefined) => void): void {
  let i = 0;
  for (const end = Math.min(olds.length, news.length); i < end && olds[i]!.path === news[i]!.path; i++) pair(olds[i], news[i]);
  if (i === olds.length && i === news.length) return;
  const rest = new Map<string, E>();
  for (let k = i; k < olds.length; k++) rest.set(olds[k]!.path, olds[k]!);
  for (let k = i; k < news.length; k++) {
    const n = news[k]!;
    const o = rest.get(n.path);
    if (o) rest.delete(n.path);
    pair(o, n);
  }
  for (const o of rest.values()) pair(o, undefined);
}

/**
 * The files that differ between two trees (`null` = no tree), sorted by path.
 * A file that turns into a folder (or back) shows as a deletion plus
 * additions; a mode-only change shows as `modified` with equal ids.
 */
export async function diffTrees(reader: ObjectReading, before: string | null, after: string | null): Promise<FileDiff[]> {
  const out: FileDiff[] = [];
  await walk(reader, before, after, '', out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The files that differ between commit `from` (or nothing, when `null`) and
 * commit `to`, sorted by path.
 */
export async function diffCommits(fs: GitFs, gitdir: string, from: string | null, to: string): Promise<FileDiff[]> {
  const reader = new ObjectReader(fs, gitdir);
  const [before, after] = await Promise.all([from === null ? null : reader.rootTree(from), reader.rootTree(to)]);
  return diffTrees(reader, before, after);
}
