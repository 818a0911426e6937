/**
 * A page as of a past commit, from the index's revision table (the blob is
 * read by id): what the UI's revision view, diffs and restores need.
 */
import { and, desc, eq, like, lt, lte } from 'drizzle-orm';
import { pageRevisions, wikiCommits } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { checkRevision, pageRow } from './pages.ts';
import type { Repository } from './repository.ts';

/** A page's text at one of its revisions, with the commit that made it. */
export interface PageAtRevision {
  path: string;
  content: string;
  /** The commit that last changed the page at or before the asked-for revision. */
  revision: string;
  author: string;
  date: string;
  message: string;
}

/**
 * The `seq` of the commit `revision` names (a full id or a unique prefix).
 *
 * @throws AppError `not_found` for an unknown revision, `invalid` for an ambiguous one
 */
export async function commitSeq(repo: Repository, revision: string): Promise<number> {
  checkRevision(revision);
  const found = await repo.db.select({ seq: wikiCommits.seq }).from(wikiCommits).where(and(eq(wikiCommits.wikiId, repo.wiki.id), like(wikiCommits.oid, `${revision}%`))).limit(2);
  if (found.length === 0) throw new AppError('not_found', `No revision ${revision} in this wiki.`);
  if (found.length > 1) throw new AppError('invalid', `The revision prefix ${revision} is ambiguous; give more characters.`);
  return found[0]!.seq;
}

/**
 * Page `key` as it was right after commit `revision`, or null when the page
 * did not exist then (not yet created, or deleted).
 *
 * @throws AppError `not_found` for an unknown revision
 */
export async function pageAt(repo: Repository, key: string, revision: string): Promise<PageAtRevision | null> {
  const seq = await commitSeq(repo, revision);
  const [row] = await repo.db
    .select({ commit: pageRevisions.commit, blobOid: pageRevisions.blobOid, author: wikiCommits.authorName, at: wikiCommits.at, message: wikiCommits.message })
    .from(pageRevisions)
    .innerJoin(wikiCommits, and(eq(wikiCommits.wikiId, pageRevisions.wikiId), eq(wikiCommits.oid, pageRevisions.commit)))
    .where(and(eq(pageRevisions.wikiId, repo.wiki.id), eq(pageRevisions.path, key), lte(pageRevisions.seq, seq)))
    .orderBy(desc(pageRevisions.seq))
    .limit(1);
  if (!row?.blobOid) return null;
  const content = new TextDecoder().decode(await repo.reader.blob(row.blobOid));
  return { path: key, content, revision: row.commit, author: row.author, date: new Date(row.at).toISOString(), message: row.message };
}

/**
 * The commit that changed page `key` last before commit `revision`, or null
 * when `revision` is at or before the page's first change.
 *
 * @throws AppError `not_found` for an unknown revision
 */
export async function previousPageRevision(repo: Repository, key: string, revision: string): Promise<string | null> {
  const seq = await commitSeq(repo, revision);
  const [row] = await repo.db
    .select({ commit: pageRevisions.commit })
    .from(pageRevisions)
    .where(and(eq(pageRevisions.wikiId, repo.wiki.id), eq(pageRevisions.path, key), lt(pageRevisions.seq, seq)))
    .orderBy(desc(pageRevisions.seq))
    .limit(1);
  return row?.commit ?? null;
}

/** Two versions of a page to compare: `to` defaults to the current revision, `from` to the page's revision before `to`. */
export async function pageVersions(repo: Repository, key: string, options: { from?: string | undefined; to?: string | undefined }): Promise<{ from: { revision: string | null; page: PageAtRevision | null }; to: { revision: string; page: PageAtRevision | null }; exists: boolean }> {
  const row = await pageRow(repo, key);
  const toParam = options.to?.trim() || row?.updatedCommit;
  if (!toParam) throw new AppError('not_found', `The page ${key} does not exist; choose revisions from its history.`);
  const to = checkRevision(toParam);
  const toPage = await pageAt(repo, key, to);
  const fromParam = options.from?.trim();
  const from = fromParam ? checkRevision(fromParam) : await previousPageRevision(repo, key, toPage?.revision ?? to);
  const fromPage = from ? await pageAt(repo, key, from) : null;
  return { from: { revision: from, page: fromPage }, to: { revision: to, page: toPage }, exists: row !== null };
}
