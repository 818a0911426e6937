/**
 * The authoritative head of each wiki's repository, as a compare-and-swap row
 * in sqld (`wiki_repos`), so that writers in any number of processes agree on
 * one linear history. The branch ref on disk mirrors it for native git.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { wikiRepos } from '../../../db/schema.ts';
import type { Db } from '../../lib/db.ts';
import { INDEX_VERSION } from '../index/index-version.ts';

export interface RepoState {
  headCommit: string | null;
  indexedCommit: string | null;
}

export async function readRepoState(db: Db, wikiId: string): Promise<RepoState | null> {
  const [row] = await db.select({ headCommit: wikiRepos.headCommit, indexedCommit: wikiRepos.indexedCommit }).from(wikiRepos).where(eq(wikiRepos.wikiId, wikiId));
  return row ?? null;
}

/** Moves the head from `expected` to `next`; false when another writer moved it first. */
export async function swapHead(db: Db, wikiId: string, expected: string | null, next: string): Promise<boolean> {
  const result = await db
    .update(wikiRepos)
    .set({ headCommit: next, updatedAt: Date.now() })
    .where(and(eq(wikiRepos.wikiId, wikiId), expected === null ? isNull(wikiRepos.headCommit) : eq(wikiRepos.headCommit, expected)));
  return result.rowsAffected === 1;
}

/** Moves the head, and the index with it, to `next`: inside a batch whose guard (`requireRepoAt`) checked both. */
export function advanceRepoStatement(db: Db, wikiId: string, next: string) {
  return db.update(wikiRepos).set({ headCommit: next, indexedCommit: next, updatedAt: Date.now() }).where(eq(wikiRepos.wikiId, wikiId));
}

/** Creates the row for a new repository (its index, still to build, follows today's rules); false if it already exists. */
export async function createRepoState(db: Db, wikiId: string, head: string): Promise<boolean> {
  const result = await db.insert(wikiRepos).values({ wikiId, headCommit: head, indexedCommit: null, indexVersion: INDEX_VERSION, updatedAt: Date.now() }).onConflictDoNothing();
  return result.rowsAffected === 1;
}

/** Records that the index reflects `commit` (only ever forward from `from`). */
export function markIndexed(db: Db, wikiId: string, from: string | null, commit: string) {
  return db
    .update(wikiRepos)
    .set({ indexedCommit: commit, updatedAt: sql`${Date.now()}` })
    .where(and(eq(wikiRepos.wikiId, wikiId), from === null ? isNull(wikiRepos.indexedCommit) : eq(wikiRepos.indexedCommit, from)));
}
