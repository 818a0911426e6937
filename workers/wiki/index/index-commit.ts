/**
 * The statements that bring a wiki's index from one commit to the next:
 * pages, attachments, links, full text, history. Shared by the write path
 * (which commits and indexes in one atomic batch) and the reconciler (which
 * catches up with commits made elsewhere: pushes, crashes, imports).
 */
import { and, eq, sql } from 'drizzle-orm';
import { attachments, pageLinks, pageRevisions, pages, wikiCommits } from '../../../db/schema.ts';
import type { Db, Statement } from '../../lib/db.ts';
import type { CommitRecord } from '../git/commits-between.ts';
import { diffTrees, type FileDiff } from '../git/diff-trees.ts';
import type { ObjectReading } from '../git/object-reader.ts';
import { attachmentOwner } from '../pages/attachments.ts';
import { pageFilePath, pageKeyFromFilePath } from '../pages/page-files.ts';
import { attachmentFileAt, pageFileAt, type PageFile } from './page-files-at.ts';
import { fullTextStatements } from './full-text-rows.ts';
import { pageDocument } from './page-document.ts';

export interface CommitSummary {
  oid: string;
  parent: string | null;
  author: { name: string; email: string };
  /** Milliseconds since the epoch. */
  at: number;
  message: string;
}


const decoder = new TextDecoder();

/** The `seq` the same batch gave the commit. */
function commitSeq(wikiId: string, oid: string) {
  return sql`(select ${wikiCommits.seq} from ${wikiCommits} where ${wikiCommits.wikiId} = ${wikiId} and ${wikiCommits.oid} = ${oid})`;
}

/** A commit and its file changes against its first parent. */
export interface CommitChanges {
  commit: CommitSummary;
  changes: readonly FileDiff[];
}

/**
 * What the index's pages and attachments become: the state of the last
 * commit indexed. Taken from one diff of trees, never by replaying each
 * commit's own changes: in a history with merges, a side branch's commits
 * change files relative to their own parents, not to what the index holds.
 */
export interface IndexTarget {
  /** The files that differ between the commit the index reflects (or none) and the last commit. */
  net: readonly FileDiff[];
  /** The file that is page `key` in the last commit's tree (a page may have several: see bestPageFile), or null. */
  pageFile(key: string): Promise<PageFile | null>;
  /** The file that is attachment `name` of page `key` there (it may have twins too), or null. */
  attachmentFile(key: string, name: string): Promise<PageFile | null>;
  /** The file that is page `key` in commit `commit` (one of the run or its parent): what a commit did to a page with twins. */
  pageFileIn(commit: string, key: string): Promise<PageFile | null>;
}

/** The target for moving an index from tree `before` (null: an empty index) to tree `after`. */
export async function indexTarget(reader: ObjectReading, before: string | null, after: string, net?: readonly FileDiff[]): Promise<IndexTarget> {
  return {
    net: net ?? (await diffTrees(reader, before, after)),
    pageFile: (key) => pageFileAt(reader, after, key),
    attachmentFile: (key, name) => attachmentFileAt(reader, after, key, name),
    pageFileIn: async (commit, key) => pageFileAt(reader, await reader.rootTree(commit), key),
  };
}

/** A commit as read from git (see commitsBetween), in the form the index takes it. */
export function commitChangesOf(c: CommitRecord): CommitChanges {
  return {
    commit: { oid: c.oid, parent: c.parents[0] ?? null, author: { name: c.author.name, email: c.author.email }, at: c.author.timestamp * 1000, message: c.message },
    changes: c.changed,
  };
}

/** Statements that record `commit` and bring the index of wiki `wikiId` to `target` (its state). */
export function indexCommit(db: Db, wikiId: string, commit: CommitSummary, changes: readonly FileDiff[], target: IndexTarget, readBlob: (oid: string) => Promise<Uint8Array>): Promise<Statement[]> {
  return indexCommits(db, wikiId, [{ commit, changes }], target, readBlob);
}

/**
 * Statements that record `commits` (oldest first; each with its changes
 * against its first parent) and bring the index of wiki `wikiId` to `target`,
 * the last commit's state. Every commit and every page revision is recorded;
 * a page, attachment, its links and full text are written once, as the last
 * commit has them (a push of 2,000 edits to 500 pages reads and indexes 500
 * texts, not 2,000).
 */
export async function indexCommits(
  db: Db,
  wikiId: string,
  commits: readonly CommitChanges[],
  target: IndexTarget,
  readBlob: (oid: string) => Promise<Uint8Array>,
  // An attachment's size, where the caller knows it without reading the whole file (a pushed pack does).
  blobSize: (oid: string) => Promise<number> = async (oid) => (await readBlob(oid)).byteLength,
): Promise<Statement[]> {
  const last = commits.at(-1)?.commit;
  if (!last) return [];
  const out: Statement[] = [];
  // The last commit of the run that touched each page and each attachment (any of its files): a row
  // names it. Taken the same way for a push and for a rebuild of the whole history, so both agree.
  const touchedPage = new Map<string, CommitSummary>();
  const touchedAttachment = new Map<string, CommitSummary>();
  for (const { commit, changes } of commits) {
    out.push(
      db
        .insert(wikiCommits)
        .values({
          wikiId,
          oid: commit.oid,
          seq: sql`(select coalesce(max(${wikiCommits.seq}), 0) + 1 from ${wikiCommits} where ${wikiCommits.wikiId} = ${wikiId})`,
          parent: commit.parent,
          authorName: commit.author.name,
          authorEmail: commit.author.email,
          at: commit.at,
          message: commit.message,
        })
        .onConflictDoNothing(),
    );
    const pageChanges = new Map<string, FileDiff[]>();
    for (const change of changes) {
      const key = pageKeyFromFilePath(change.path);
      if (key !== null) {
        pageChanges.set(key, [...(pageChanges.get(key) ?? []), change]);
        continue;
      }
      const owner = attachmentOwner(change.path);
      if (owner !== null) touchedAttachment.set(attachmentId(owner, change.path), commit);
    }
    for (const [key, keyChanges] of pageChanges) {
      const revision = await pageRevision(target, commit, key, keyChanges);
      if (revision === null) continue; // only a twin that is not the page changed
      touchedPage.set(key, commit);
      out.push(revisionStatement(db, wikiId, commit, key, revision));
    }
  }
  const changedPages = new Set<string>();
  const changedAttachments = new Map<string, { owner: string; name: string }>();
  for (const change of target.net) {
    const key = pageKeyFromFilePath(change.path);
    if (key !== null) {
      changedPages.add(key);
      continue;
    }
    const owner = attachmentOwner(change.path);
    if (owner !== null) changedAttachments.set(attachmentId(owner, change.path), { owner, name: fileName(change.path) });
  }
  for (const [id, { owner, name }] of changedAttachments) {
    // Like a page, an attachment may have twins (in `My Page/` beside `My_Page/`): the index shows the one reads prefer.
    const file = await target.attachmentFile(owner, name);
    const stored = file && { ...file, size: await blobSize(file.oid) };
    out.push(attachmentStatement(db, wikiId, touchedAttachment.get(id) ?? last, owner, name, stored));
  }
  for (const key of changedPages) {
    // A page may have several files (a legacy name with spaces beside the underscore one): the
    // index shows the one reads prefer, and drops the page only when none is left.
    const file = await target.pageFile(key);
    out.push(...(await pageStatements(db, wikiId, key, file, touchedPage.get(key) ?? null, last, readBlob)));
  }
  // A page the run touched but left as it was (an edit reverted, a delete undone): same text, newer commit.
  for (const [key, commit] of touchedPage) {
    if (changedPages.has(key)) continue;
    out.push(db.update(pages).set({ updatedCommit: commit.oid, updatedAt: commit.at, updatedBy: commit.author.name }).where(and(eq(pages.wikiId, wikiId), eq(pages.path, key))));
  }
  return out;
}

/** What a commit did to a page: its text after (none: deleted), and how. */
interface PageRevision {
  blobOid: string | null;
  status: FileDiff['status'];
}

/**
 * What `commit` did to page `key`, given its changes to files that stand for
 * the key; null when the page stayed as it was (only a twin that is not the
 * page changed): the page's file before and after the commit, compared.
 * A change to the page's own file says one side (or both) without a lookup.
 */
async function pageRevision(target: IndexTarget, commit: CommitSummary, key: string, changes: readonly FileDiff[]): Promise<PageRevision | null> {
  // The page's own file (its underscore name) ranks first: where it is there, it is the page.
  const own = changes.find((c) => c.path === pageFilePath(key));
  const after = own && own.status !== 'deleted' ? own.newOid! : ((await target.pageFileIn(commit.oid, key))?.oid ?? null);
  const before = own && own.status !== 'added' ? own.oldOid! : commit.parent === null ? null : ((await target.pageFileIn(commit.parent, key))?.oid ?? null);
  if (after === before) return null;
  return { blobOid: after, status: after === null ? 'deleted' : before === null ? 'added' : 'modified' };
}

/** The page revision `commit` made. */
function revisionStatement(db: Db, wikiId: string, commit: CommitSummary, key: string, revision: PageRevision): Statement {
  return db
    .insert(pageRevisions)
    .values({ wikiId, path: key, commit: commit.oid, seq: commitSeq(wikiId, commit.oid), blobOid: revision.blobOid, change: revision.status, at: commit.at })
    .onConflictDoNothing();
}

/**
 * The page row, links and full text of page `key` stored in `file` (none: the page is gone), last
 * changed by `commit`; with none (a twin that is not the page changed), the row keeps the commit it
 * names, or takes `fallback` if it is new.
 */
async function pageStatements(db: Db, wikiId: string, key: string, file: PageFile | null, commit: CommitSummary | null, fallback: CommitSummary, readBlob: (oid: string) => Promise<Uint8Array>): Promise<Statement[]> {
  const dropLinks = db.delete(pageLinks).where(and(eq(pageLinks.wikiId, wikiId), eq(pageLinks.src, key)));
  // The full text goes with the row (a trigger).
  if (file === null) return [dropLinks, db.delete(pages).where(and(eq(pages.wikiId, wikiId), eq(pages.path, key)))];
  const bytes = await readBlob(file.oid);
  const text = decoder.decode(bytes);
  const doc = pageDocument(key, text);
  const row = {
    wikiId,
    path: key,
    filePath: file.path,
    title: doc.title,
    frontmatter: doc.frontmatter ? JSON.stringify(doc.frontmatter) : null,
    category: doc.category,
    tags: doc.tags.length ? ` ${doc.tags.join(' ')} ` : '',
    size: bytes.byteLength,
    blobOid: file.oid,
    updatedCommit: (commit ?? fallback).oid,
    updatedAt: (commit ?? fallback).at,
    updatedBy: (commit ?? fallback).author.name,
  };
  const { wikiId: _w, path: _p, updatedCommit, updatedAt, updatedBy, ...content } = row;
  const update = commit === null ? content : { ...content, updatedCommit, updatedAt, updatedBy };
  return [
    // An upsert keeps the row's id, which is also its full-text rowid.
    db.insert(pages).values(row).onConflictDoUpdate({ target: [pages.wikiId, pages.path], set: update }),
    ...fullTextStatements(db, wikiId, key, doc.title, doc.body),
    dropLinks,
    ...(doc.links.length ? [db.insert(pageLinks).values(doc.links.map((dst) => ({ wikiId, src: key, dst }))).onConflictDoNothing()] : []),
  ];
}

/** The attachment row of `owner` and `name` as stored in `file` (none: the row goes), last touched by `commit`. */
function attachmentStatement(db: Db, wikiId: string, commit: CommitSummary, owner: string, name: string, file: (PageFile & { size: number }) | null): Statement {
  if (file === null) return db.delete(attachments).where(and(eq(attachments.wikiId, wikiId), eq(attachments.page, owner), eq(attachments.name, name)));
  const row = { filePath: file.path, size: file.size, blobOid: file.oid, updatedCommit: commit.oid, updatedAt: commit.at };
  return db
    .insert(attachments)
    .values({ wikiId, page: owner, name, ...row })
    .onConflictDoUpdate({ target: [attachments.wikiId, attachments.page, attachments.name], set: row });
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** One attachment of one page, whichever of its folders a file is in. */
function attachmentId(owner: string, path: string): string {
  return `${owner}\u0000${fileName(path)}`;
}
