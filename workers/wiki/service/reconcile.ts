/**
 * Brings a wiki's index up to its head by walking the commits between what
 * the index reflects and the head, one atomic batch per commit. Each batch is
 * guarded on the index still being where this run found it, so concurrent
 * reconcilers (any process) never apply a commit twice or out of order.
 */
import { commitsBetween } from '../git/commits-between.ts';
import { isGuardFailure, requireIndexed } from '../index/guard.ts';
import { indexCommit, indexTarget } from '../index/index-commit.ts';
import { markIndexed, readRepoState } from '../storage/repo-state.ts';
import type { Repository } from './repository-handle.ts';

export interface ReconcileResult {
  commits: number;
}

export async function reconcileIndex(repo: Repository): Promise<ReconcileResult> {
  const state = await readRepoState(repo.db, repo.wiki.id);
  if (!state?.headCommit || state.indexedCommit === state.headCommit) return { commits: 0 };
  const commits = await commitsBetween(repo.fs, repo.gitdir, state.indexedCommit, state.headCommit);
  let indexed = state.indexedCommit;
  let applied = 0;
  for (const c of commits) {
    // The index moves from the commit it reflects to this one: its own changes when that is its first
    // parent; otherwise (the first commit of a side branch, or after one) a diff of their trees.
    const from = indexed === null ? null : await repo.reader.rootTree(indexed);
    const target = await indexTarget(repo.reader, from, await repo.reader.rootTree(c.oid), indexed === (c.parents[0] ?? null) ? c.changed : undefined);
    const statements = await indexCommit(
      repo.db,
      repo.wiki.id,
      { oid: c.oid, parent: c.parents[0] ?? null, author: { name: c.author.name, email: c.author.email }, at: c.author.timestamp * 1000, message: c.message },
      c.changed,
      target,
      (oid) => repo.reader.blob(oid),
    );
    try {
      await repo.db.batch([requireIndexed(repo.db, repo.wiki.id, indexed), ...statements, markIndexed(repo.db, repo.wiki.id, indexed, c.oid)]);
    } catch (err) {
      if (isGuardFailure(err)) return { commits: applied }; // another reconciler is ahead of us
      throw err;
    }
    indexed = c.oid;
    applied++;
  }
  return { commits: applied };
}
