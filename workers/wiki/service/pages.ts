/**
 * Page operations, shared by the REST API and the JS-RPC entrypoint the MCP
 * worker calls. Reads come from the index (and blobs by id); writes go through
 * `commitWrite`. Inputs are page keys already normalised by the caller.
 */
import { and, asc, desc, eq, gt, gte, like, lt, lte, sql } from 'drizzle-orm';
import { pageLinks, pageRevisions, pages, users, wikiCommits, wikiPushes } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import type { Identity } from '../git/commit-identity.ts';
import { pageFilePath } from '../pages/page-files.ts';
import { checkNewPageName, isNewPageName } from '../pages/page-name.ts';
import { requirePageAbsent, requirePageAt } from '../index/guard.ts';
import { pageFilesAt } from '../index/page-files-at.ts';
import { AssumptionFailed, commitWrite, isLargeText } from './write.ts';
import type { Repository } from './repository.ts';

export const MAX_PAGE_BYTES = 1024 * 1024;
const REVISION = /^[0-9a-f]{7,40}$/;

export interface PageSummary {
  path: string;
  name: string;
  category: string | null;
  tags: string[];
  size: number;
  revision: string;
  updated_at: string;
  updated_by: string;
}

export interface Page extends PageSummary {
  content: string;
  frontmatter: Record<string, unknown> | null;
  links_to: string[];
  linked_from: string[];
}

type PageRow = typeof pages.$inferSelect;

function summary(row: PageRow): PageSummary {
  return {
    path: row.path,
    name: row.title,
    category: row.category,
    tags: row.tags.trim() ? row.tags.trim().split(' ') : [],
    size: row.size,
    revision: row.updatedCommit,
    updated_at: new Date(row.updatedAt).toISOString(),
    updated_by: row.updatedBy,
  };
}

export function checkRevision(revision: string): string {
  if (!REVISION.test(revision)) throw new AppError('invalid', 'A revision is 7 to 40 hexadecimal characters (a commit id or its prefix).');
  return revision;
}

/**
 * Every file of page `key` at commit `head`, with `known` (the file the index
 * shows): what a delete or rename removes, so that no twin is left to become
 * the page again.
 */
export async function pageFilePathsAt(repo: Repository, head: string, key: string, known: string): Promise<string[]> {
  const found = await pageFilesAt(repo.reader, await repo.reader.rootTree(head), key);
  return [...new Set([known, ...found.map((f) => f.path)])];
}

/** The index row of page `key`, or null. */
export async function pageRow(repo: Repository, key: string): Promise<PageRow | null> {
  const [row] = await repo.db.select().from(pages).where(and(eq(pages.wikiId, repo.wiki.id), eq(pages.path, key)));
  return row ?? null;
}

export interface ListFilter {
  prefix?: string;
  category?: string;
  tag?: string;
  updatedSince?: number;
  limit: number;
  /** The last path of the previous page of results. */
  after?: string;
}

export async function listPages(repo: Repository, f: ListFilter): Promise<{ pages: PageSummary[]; next: string | null }> {
  const escape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await repo.db
    .select()
    .from(pages)
    .where(
      and(
        eq(pages.wikiId, repo.wiki.id),
        f.prefix ? sql`${pages.path} like ${escape(f.prefix) + '%'} escape '\\'` : undefined,
        f.category ? sql`lower(${pages.category}) = ${f.category.toLowerCase()}` : undefined,
        f.tag ? sql`lower(${pages.tags}) like ${'% ' + escape(f.tag.toLowerCase()) + ' %'} escape '\\'` : undefined,
        f.updatedSince !== undefined ? gte(pages.updatedAt, f.updatedSince) : undefined,
        f.after ? gt(pages.path, f.after) : undefined,
      ),
    )
    .orderBy(asc(pages.path))
    .limit(f.limit + 1);
  const more = rows.length > f.limit;
  const shown = rows.slice(0, f.limit);
  return { pages: shown.map(summary), next: more ? shown.at(-1)!.path : null };
}

/** The page as it is now, or at `revision` (the page as of that commit). Its row and links come in one round trip. */
export async function readPage(repo: Repository, key: string, revision?: string): Promise<Page> {
  const notFound = () => new AppError('not_found', `Page not found: ${key}`);
  const w = repo.wiki.id;
  const [rows, out, inbound] = await repo.db.batch([
    repo.db.select().from(pages).where(and(eq(pages.wikiId, w), eq(pages.path, key))),
    repo.db.select({ dst: pageLinks.dst }).from(pageLinks).where(and(eq(pageLinks.wikiId, w), eq(pageLinks.src, key))).orderBy(asc(pageLinks.dst)),
    repo.db.select({ src: pageLinks.src }).from(pageLinks).where(and(eq(pageLinks.wikiId, w), eq(pageLinks.dst, key))).orderBy(asc(pageLinks.src)),
  ]);
  let row = rows[0];
  if (!row) throw notFound();
  let blobOid = row.blobOid;
  if (revision) {
    checkRevision(revision);
    const commits = await repo.db.select({ seq: wikiCommits.seq }).from(wikiCommits).where(and(eq(wikiCommits.wikiId, w), like(wikiCommits.oid, `${revision}%`))).limit(2);
    if (commits.length === 0) throw new AppError('not_found', `No revision ${revision} in this wiki.`);
    if (commits.length > 1) throw new AppError('invalid', `The revision prefix ${revision} is ambiguous; give more characters.`);
    const [rev] = await repo.db
      .select()
      .from(pageRevisions)
      .where(and(eq(pageRevisions.wikiId, w), eq(pageRevisions.path, key), lte(pageRevisions.seq, commits[0]!.seq)))
      .orderBy(desc(pageRevisions.seq))
      .limit(1);
    if (!rev || !rev.blobOid) throw notFound();
    blobOid = rev.blobOid;
    row = { ...row, updatedCommit: rev.commit };
  }
  const content = new TextDecoder().decode(await repo.reader.blob(blobOid));
  return {
    ...summary(row),
    content,
    frontmatter: row.frontmatter ? (JSON.parse(row.frontmatter) as Record<string, unknown>) : null,
    links_to: out.map((l) => l.dst),
    linked_from: inbound.map((l) => l.src),
  };
}

export interface PutPage {
  content: string;
  /** Required when the page exists: the revision the caller read. Given for a page that is gone: a conflict. */
  baseRevision?: string;
  message?: string;
  author: Identity;
}

export async function putPage(repo: Repository, apex: string, key: string, input: PutPage): Promise<{ path: string; revision: string; created: boolean }> {
  if (new TextEncoder().encode(input.content).byteLength > MAX_PAGE_BYTES) throw new AppError('too_large', `A page may be at most ${MAX_PAGE_BYTES} bytes.`);
  if (input.baseRevision !== undefined) checkRevision(input.baseRevision);
  const message = input.message?.trim() || `Update ${key}`;
  const assumed = await putPageAssuming(repo, apex, key, input, message);
  if (typeof assumed === 'object') return assumed;
  try {
    return await putPageAfterReading(repo, apex, key, input, message);
  } catch (err) {
    // The first try stored its objects before its assumption failed: a save refused in the end counts
    // against the write limit all the same (a save that succeeds is counted by its own batch).
    // (A refusal by the second write's own batch, over the quota or the limit, was counted there.)
    if (assumed === 'stored' && err instanceof AppError && err.code !== 'too_large' && err.code !== 'rate_limited') await repo.writeLimit?.countRefused();
    throw err;
  }
}

/**
 * The usual cases without reading the page first: a new page (no base
 * revision) or an overwrite of a page stored under its usual file name. The
 * write's batch checks the assumption. When it did not hold (`stored`: its
 * objects were stored) or the case is unusual or unchanged (`untried`), the
 * caller reads and decides.
 */
async function putPageAssuming(repo: Repository, apex: string, key: string, input: PutPage, message: string): Promise<{ path: string; revision: string; created: boolean } | 'stored' | 'untried'> {
  const creating = input.baseRevision === undefined;
  if (creating && !isNewPageName(key)) return 'untried';
  // A large page is checked by reading first: a wrong assumption would leave its text stored, unreferenced.
  if (isLargeText(input.content)) return 'untried';
  const filePath = pageFilePath(key);
  const assume = creating ? requirePageAbsent(repo.db, repo.wiki.id, key) : requirePageAt(repo.db, repo.wiki.id, key, filePath, input.baseRevision!);
  try {
    const result = await commitWrite(repo, apex, { author: input.author, message, changes: [{ path: filePath, content: input.content }], assume: [assume] });
    // No change: the page exists with this content, which only reading it can tell apart.
    return result.commit === null ? 'untried' : { path: key, revision: result.commit, created: creating };
  } catch (err) {
    if (err instanceof AssumptionFailed) return 'stored';
    throw err;
  }
}

async function putPageAfterReading(repo: Repository, apex: string, key: string, input: PutPage, message: string): Promise<{ path: string; revision: string; created: boolean }> {
  let created = false;
  let existingRevision: string | null = null;
  const result = await commitWrite(repo, apex, {
    author: input.author,
    message,
    changes: async () => {
      const row = await pageRow(repo, key);
      created = !row;
      existingRevision = row?.updatedCommit ?? null;
      if (!row && input.baseRevision && (await deletedSince(repo, key, input.baseRevision))) {
        throw new AppError('conflict', 'The page was deleted since the revision you read. Save it without a base revision to create it again.', { current_revision: null });
      }
      // Existing pages keep whatever name their file has; new ones must have a name the wiki's addresses and links can carry.
      if (!row) checkNewPageName(key);
      if (row) {
        if (!input.baseRevision) {
          throw new AppError('conflict', 'The page exists: send the revision you read (base revision) to overwrite it.', { current_revision: row.updatedCommit });
        }
        if (!row.updatedCommit.startsWith(input.baseRevision)) {
          throw new AppError('conflict', 'The page has changed since you read it. Read it again, then repeat your change.', { current_revision: row.updatedCommit });
        }
      }
      // Writes update whichever file exists (a legacy name with spaces stays put); new pages use underscores.
      return [{ path: row?.filePath ?? pageFilePath(key), content: input.content }];
    },
  });
  return { path: key, revision: result.commit ?? existingRevision ?? (result as { head: string }).head, created: created && result.commit !== null };
}

/**
 * Whether page `key` was deleted after revision `base` (a commit id or its
 * prefix), or `base` names no single commit of the wiki while the page was
 * ever deleted: then a save based on `base` would bring back a page someone
 * removed since.
 */
async function deletedSince(repo: Repository, key: string, base: string): Promise<boolean> {
  const [row] = await repo.db.all<{ deleted: number | null; base: number | null }>(sql`select
    (select max(${pageRevisions.seq}) from ${pageRevisions} where ${pageRevisions.wikiId} = ${repo.wiki.id} and ${pageRevisions.path} = ${key} and ${pageRevisions.change} = 'deleted') as deleted,
    (select case when count(*) = 1 then max(${wikiCommits.seq}) end from ${wikiCommits} where ${wikiCommits.wikiId} = ${repo.wiki.id} and ${wikiCommits.oid} >= ${base} and ${wikiCommits.oid} <= ${`${base}g`}) as base`);
  if (row?.deleted == null) return false;
  return row.base == null || row.deleted > row.base;
}

export interface HistoryEntry {
  revision: string;
  change: string;
  author: string;
  email: string;
  date: string;
  message: string;
  /** For a commit that came in by `git push`: the member who pushed it (their handle), whatever its author says. */
  pushed_by: string | null;
}

/** The columns naming who pushed a commit, from `wiki_pushes` left-joined to `users`. */
const PUSHER = { pusherDid: wikiPushes.pusherDid, pusherHandle: users.handle };

function pusherOf(row: { pusherDid: string | null; pusherHandle: string | null }): string | null {
  return row.pusherHandle ?? row.pusherDid;
}

/** A page's history, newest first; `before` is a `seq` for paging. One indexed range scan, whatever the history's length. */
export async function pageHistory(repo: Repository, key: string, options: { limit: number; before?: number }): Promise<HistoryEntry[]> {
  const rows = await repo.db
    .select({ revision: pageRevisions.commit, change: pageRevisions.change, at: pageRevisions.at, author: wikiCommits.authorName, email: wikiCommits.authorEmail, message: wikiCommits.message, ...PUSHER })
    .from(pageRevisions)
    .innerJoin(wikiCommits, and(eq(wikiCommits.wikiId, pageRevisions.wikiId), eq(wikiCommits.oid, pageRevisions.commit)))
    .leftJoin(wikiPushes, and(eq(wikiPushes.wikiId, pageRevisions.wikiId), eq(wikiPushes.commit, pageRevisions.commit)))
    .leftJoin(users, eq(users.did, wikiPushes.pusherDid))
    .where(and(eq(pageRevisions.wikiId, repo.wiki.id), eq(pageRevisions.path, key), options.before !== undefined ? lt(pageRevisions.seq, options.before) : undefined))
    .orderBy(desc(pageRevisions.seq))
    .limit(options.limit);
  return rows.map((r) => ({ revision: r.revision, change: r.change, author: r.author, email: r.email, date: new Date(r.at).toISOString(), message: r.message, pushed_by: pusherOf(r) }));
}

export async function recentChanges(repo: Repository, limit: number): Promise<(HistoryEntry & { pages: string[] })[]> {
  const commits = await repo.db
    .select({ oid: wikiCommits.oid, seq: wikiCommits.seq, authorName: wikiCommits.authorName, authorEmail: wikiCommits.authorEmail, at: wikiCommits.at, message: wikiCommits.message, ...PUSHER })
    .from(wikiCommits)
    .leftJoin(wikiPushes, and(eq(wikiPushes.wikiId, wikiCommits.wikiId), eq(wikiPushes.commit, wikiCommits.oid)))
    .leftJoin(users, eq(users.did, wikiPushes.pusherDid))
    .where(eq(wikiCommits.wikiId, repo.wiki.id))
    .orderBy(desc(wikiCommits.seq))
    .limit(limit);
  if (commits.length === 0) return [];
  const touched = await repo.db
    .select({ commit: pageRevisions.commit, path: pageRevisions.path })
    .from(pageRevisions)
    .where(and(eq(pageRevisions.wikiId, repo.wiki.id), gte(pageRevisions.seq, commits.at(-1)!.seq)));
  return commits.map((c) => ({
    revision: c.oid,
    change: 'commit',
    author: c.authorName,
    email: c.authorEmail,
    date: new Date(c.at).toISOString(),
    message: c.message,
    pushed_by: pusherOf(c),
    pages: touched.filter((t) => t.commit === c.oid).map((t) => t.path),
  }));
}
