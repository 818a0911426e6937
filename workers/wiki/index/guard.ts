/**
 * Preconditions for atomic batches (see `casGuard` in db/schema.ts): each
 * returns a statement that fails, rolling back its whole batch, unless the
 * wiki's repository state is what the writer read.
 */
import { sql } from 'drizzle-orm';
import { casGuard, wikiRepos } from '../../../db/schema.ts';
import type { Db } from '../../lib/db.ts';

/** Fails the batch unless the head is still `expected`. */
export function requireHead(db: Db, wikiId: string, expected: string | null) {
  return db.run(sql`insert into ${casGuard} (ok) select 0 where (select ${wikiRepos.headCommit} from ${wikiRepos} where ${wikiRepos.wikiId} = ${wikiId}) is not ${expected}`);
}

/** Fails the batch unless the index still reflects `expected`. */
export function requireIndexed(db: Db, wikiId: string, expected: string | null) {
  return db.run(sql`insert into ${casGuard} (ok) select 0 where (select ${wikiRepos.indexedCommit} from ${wikiRepos} where ${wikiRepos.wikiId} = ${wikiId}) is not ${expected}`);
}

/** True when `err` is a guard failing: someone else moved the repository first. */
export function isGuardFailure(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    if (/cas_guard_ok|CHECK constraint failed: cas_guard/.test(String((e as Error).message ?? e))) return true;
  }
  return false;
}
