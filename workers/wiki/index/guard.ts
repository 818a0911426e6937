/**
 * Preconditions for atomic batches (see `casGuard` in db/schema.ts): each
 * returns a statement that fails, rolling back its whole batch, unless the
 * wiki's repository state is what the writer read.
 */
import { sql } from 'drizzle-orm';
import { attachments, casGuard, pages, quotaGuard, wikiRepos, wikis } from '../../../db/schema.ts';
import type { Db } from '../../lib/db.ts';

/** Fails the batch unless the head is still `expected`. */
export function requireHead(db: Db, wikiId: string, expected: string | null) {
  return db.run(sql`insert into ${casGuard} (ok) select 0 where (select ${wikiRepos.headCommit} from ${wikiRepos} where ${wikiRepos.wikiId} = ${wikiId}) is not ${expected}`);
}

/** Fails the batch unless the index still reflects `expected`. */
export function requireIndexed(db: Db, wikiId: string, expected: string | null) {
  return db.run(sql`insert into ${casGuard} (ok) select 0 where (select ${wikiRepos.indexedCommit} from ${wikiRepos} where ${wikiRepos.wikiId} = ${wikiId}) is not ${expected}`);
}

/** Content a wiki may hold unless its row says otherwise: robot.wtf's 50 MiB, and ten times its 500 pages. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_PAGES = 5000;

/**
 * Fails the batch (as a quota failure) if, after the batch's index updates
 * before it, the wiki holds more bytes of pages and attachments, or more
 * pages, than its quota. Put it after the index statements.
 */
export function requireWithinQuota(db: Db, wikiId: string) {
  return db.run(sql`insert into ${quotaGuard} (ok) select 0 where
    (select coalesce(sum(${pages.size}), 0) from ${pages} where ${pages.wikiId} = ${wikiId})
      + (select coalesce(sum(${attachments.size}), 0) from ${attachments} where ${attachments.wikiId} = ${wikiId})
      > (select coalesce(${wikis.maxBytes}, ${DEFAULT_MAX_BYTES}) from ${wikis} where ${wikis.id} = ${wikiId})
    or (select count(*) from ${pages} where ${pages.wikiId} = ${wikiId})
      > (select coalesce(${wikis.maxPages}, ${DEFAULT_MAX_PAGES}) from ${wikis} where ${wikis.id} = ${wikiId})`);
}

function failedCheck(err: unknown, name: string): boolean {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    if (new RegExp(`${name}_ok|CHECK constraint failed: ${name}`).test(String((e as Error).message ?? e))) return true;
  }
  return false;
}

/** True when `err` is a guard failing: someone else moved the repository first. */
export function isGuardFailure(err: unknown): boolean {
  return failedCheck(err, 'cas_guard');
}

/** True when `err` is `requireWithinQuota` failing. */
export function isQuotaFailure(err: unknown): boolean {
  return failedCheck(err, 'quota_guard');
}
