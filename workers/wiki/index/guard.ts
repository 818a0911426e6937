/**
 * Preconditions for atomic batches (see `casGuard` in db/schema.ts): each
 * returns a statement that fails, rolling back its whole batch, unless the
 * wiki's repository state is what the writer read.
 */
import { sql } from 'drizzle-orm';
import { attachments, casGuard, pageGuard, pages, quotaGuard, wikiRepos, wikis, wikiUsage } from '../../../db/schema.ts';
import { isCheckFailure } from '../../lib/check-failure.ts';
import type { Db } from '../../lib/db.ts';
import { attachmentOwner } from '../pages/attachments.ts';
import { pageKeyFromFilePath } from '../pages/page-files.ts';

/** Fails the batch unless the head is still `expected` and the index reflects it (one statement: writes check both). */
export function requireRepoAt(db: Db, wikiId: string, expected: string) {
  return db.run(sql`insert into ${casGuard} (ok) select 0 where not exists (select 1 from ${wikiRepos}
    where ${wikiRepos.wikiId} = ${wikiId} and ${wikiRepos.headCommit} = ${expected} and ${wikiRepos.indexedCommit} = ${expected})`);
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
  // One row (wiki_usage, kept by triggers in this same batch), not a sum over every page.
  return db.run(sql`insert into ${quotaGuard} (ok) select 0 from ${wikiUsage} join ${wikis} on ${wikis.id} = ${wikiUsage.wikiId}
    where ${wikiUsage.wikiId} = ${wikiId}
      and (${wikiUsage.bytes} > coalesce(${wikis.maxBytes}, ${DEFAULT_MAX_BYTES}) or ${wikiUsage.pages} > coalesce(${wikis.maxPages}, ${DEFAULT_MAX_PAGES}))`);
}

/**
 * Whether wiki `wikiId` has room for `incoming` bytes written to `paths`
 * (what those files hold now is replaced): the byte quota of
 * `requireWithinQuota`, asked before a large write stores anything, so a
 * refused write leaves no objects behind. The batch still decides.
 */
export async function hasRoomFor(db: Db, wikiId: string, incoming: number, paths: readonly string[]): Promise<boolean> {
  const list = (values: readonly string[]) => (values.length ? sql.join(values.map((v) => sql`${v}`), sql`, `) : sql`null`);
  const files = list(paths);
  // Looked up by page key and attachment owner (indexed), then matched on the file itself.
  const keys = list(paths.map(pageKeyFromFilePath).filter((k): k is string => k !== null));
  const owners = list(paths.map(attachmentOwner).filter((o): o is string => o !== null));
  const [row] = await db.all<{ used: number; max: number; replaced: number }>(sql`select
    coalesce((select ${wikiUsage.bytes} from ${wikiUsage} where ${wikiUsage.wikiId} = ${wikiId}), 0) as used,
    coalesce((select ${wikis.maxBytes} from ${wikis} where ${wikis.id} = ${wikiId}), ${DEFAULT_MAX_BYTES}) as max,
    coalesce((select sum(${pages.size}) from ${pages} where ${pages.wikiId} = ${wikiId} and ${pages.path} in (${keys}) and ${pages.filePath} in (${files})), 0)
      + coalesce((select sum(${attachments.size}) from ${attachments} where ${attachments.wikiId} = ${wikiId} and ${attachments.page} in (${owners}) and ${attachments.filePath} in (${files})), 0) as replaced`);
  return !row || Number(row.used) - Number(row.replaced) + incoming <= Number(row.max);
}

/** Fails the batch (as a page guard) if wiki `wikiId` has a page `key`. */
export function requirePageAbsent(db: Db, wikiId: string, key: string) {
  return db.run(sql`insert into ${pageGuard} (ok) select 0 where exists (select 1 from ${pages} where ${pages.wikiId} = ${wikiId} and ${pages.path} = ${key})`);
}

/** Fails the batch (as a page guard) unless page `key` is stored as `filePath` and its revision starts with `revision`. */
export function requirePageAt(db: Db, wikiId: string, key: string, filePath: string, revision: string) {
  return db.run(sql`insert into ${pageGuard} (ok) select 0 where not exists (select 1 from ${pages} where ${pages.wikiId} = ${wikiId} and ${pages.path} = ${key}
    and ${pages.filePath} = ${filePath} and substr(${pages.updatedCommit}, 1, ${revision.length}) = ${revision})`);
}

/** True when `err` is a guard failing: someone else moved the repository first. */
export function isGuardFailure(err: unknown): boolean {
  return isCheckFailure(err, 'cas_guard');
}

/** True when `err` is `requirePageAbsent` or `requirePageAt` failing. */
export function isPageGuardFailure(err: unknown): boolean {
  return isCheckFailure(err, 'page_guard');
}

/** True when `err` is `requireWithinQuota` failing. */
export function isQuotaFailure(err: unknown): boolean {
  return isCheckFailure(err, 'quota_guard');
}
