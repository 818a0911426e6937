/**
 * Brings a wiki's index up to its head: the commits between what the index
 * reflects and the head, in one atomic batch (sent in parts when long),
 * guarded on the index still being where this run found it, so concurrent
 * reconcilers (any process) never apply a commit twice or out of order.
 */
import { commitsBetween } from '../git/commits-between.ts';
import { isGuardFailure, requireIndexed } from '../index/guard.ts';
import { commitChangesOf, indexCommits, indexTarget } from '../index/index-commit.ts';
import { runBatch } from '../../lib/db.ts';
import { markIndexed, readRepoState } from '../storage/repo-state.ts';
import type { Repository } from './repository-handle.ts';

export interface ReconcileResult {
  commits: number;
}

export async function reconcileIndex(repo: Repository): Promise<ReconcileResult> {
  const state = await readRepoState(repo.db, repo.wiki.id);
  if (!state?.headCommit || state.indexedCommit === state.headCommit) return { commits: 0 };
  const { indexedCommit: from, headCommit: to } = state;
  const commits = await commitsBetween(repo.fs, repo.gitdir, from, to);
  // One step, as a push takes it: every commit recorded in order, and pages as the head's tree has
  // them (a side branch's commits never stand for the index), so a rebuilt index is the pushed one.
  const target = await indexTarget(repo.reader, from === null ? null : await repo.reader.rootTree(from), await repo.reader.rootTree(to));
  const statements = await indexCommits(
    repo.db,
    repo.wiki.id,
    commits.map(commitChangesOf),
    target,
    (oid) => repo.reader.blob(oid),
  );
  try {
    // A long history goes in parts, still one transaction (see runBatch).
    await runBatch(repo.db, [requireIndexed(repo.db, repo.wiki.id, from), ...statements, markIndexed(repo.db, repo.wiki.id, from, to)]);
  } catch (err) {
    if (isGuardFailure(err)) return { commits: 0 }; // another reconciler got there first
    throw err;
  }
  return { commits: commits.length };
}
