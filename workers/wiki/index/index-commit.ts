/**
 * The statements that bring a wiki's index from one commit to the next:
 * pages, attachments, links, full text, history. Shared by the write path
 * (which commits and indexes in one atomic batch) and the reconciler (which
 * catches up with commits made elsewhere: pushes, crashes, imports).
 */
import { and, eq, sql } from 'drizzle-orm';
import { attachments, pageLinks, pageRevisions, pages, wikiCommits } from '../../../db/schema.ts';
import type { Db, Statement } from '../../lib/db.ts';
import type { FileDiff } from '../git/diff-trees.ts';
import { attachmentOwner } from '../pages/attachments.ts';
import { pageKeyFromFilePath } from '../pages/page-files.ts';
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

/** Body text for the full-text index, without the private-use characters search uses as highlight markers. */
function searchable(body: string): string {
  return body.replace(/[\uE000\uE001]/g, ' ');
}

/** The `seq` the same batch gave the commit. */
function commitSeq(wikiId: string, oid: string) {
  return sql`(select ${wikiCommits.seq} from ${wikiCommits} where ${wikiCommits.wikiId} = ${wikiId} and ${wikiCommits.oid} = ${oid})`;
}

/** A commit and its file changes against its first parent. */
export interface CommitChanges {
  commit: CommitSummary;
  changes: readonly FileDiff[];
}

/** Statements that record `commit` and apply its file changes to the index of wiki `wikiId`. */
export function indexCommit(db: Db, wikiId: string, commit: CommitSummary, changes: readonly FileDiff[], readBlob: (oid: string) => Promise<Uint8Array>): Promise<Statement[]> {
  return indexCommits(db, wikiId, [{ commit, changes }], readBlob);
}

/**
 * Statements that record `commits` (oldest first, each on its predecessor)
 * and apply their changes to the index of wiki `wikiId`, as if each were
 * indexed in turn. Every commit and every page revision is recorded; a
 * file's page, attachment, links and full text are written only for its
 * last change in the run, since that is the state every earlier change
 * leads to (a push of 2,000 edits to 500 pages reads and indexes 500 texts,
 * not 2,000).
 */
export async function indexCommits(
  db: Db,
  wikiId: string,
  commits: readonly CommitChanges[],
  readBlob: (oid: string) => Promise<Uint8Array>,
  // An attachment's size, where the caller knows it without reading the whole file (a pushed pack does).
  blobSize: (oid: string) => Promise<number> = async (oid) => (await readBlob(oid)).byteLength,
): Promise<Statement[]> {
  const lastChange = new Map<string, FileDiff>();
  for (const { changes } of commits) for (const change of changes) lastChange.set(change.path, change);
  const out: Statement[] = [];
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
    for (const change of changes) {
      const last = lastChange.get(change.path) === change;
      const key = pageKeyFromFilePath(change.path);
      if (key !== null) {
        if (last) out.push(...(await pageStatements(db, wikiId, commit, key, change, readBlob)));
        out.push(revisionStatement(db, wikiId, commit, key, change));
        continue;
      }
      const owner = attachmentOwner(change.path);
      if (owner !== null && last) {
        const size = change.newOid ? await blobSize(change.newOid) : 0;
        out.push(attachmentStatement(db, wikiId, commit, owner, change, size));
      }
    }
  }
  return out;
}

/** The page revision `change` makes in `commit`. */
function revisionStatement(db: Db, wikiId: string, commit: CommitSummary, key: string, change: FileDiff): Statement {
  return db
    .insert(pageRevisions)
    .values({ wikiId, path: key, commit: commit.oid, seq: commitSeq(wikiId, commit.oid), blobOid: change.newOid ?? null, change: change.status, at: commit.at })
    .onConflictDoNothing();
}

/** The page row, links and full text as `change` leaves them. */
async function pageStatements(db: Db, wikiId: string, commit: CommitSummary, key: string, change: FileDiff, readBlob: (oid: string) => Promise<Uint8Array>): Promise<Statement[]> {
  const dropLinks = db.delete(pageLinks).where(and(eq(pageLinks.wikiId, wikiId), eq(pageLinks.src, key)));
  if (change.status === 'deleted') {
    // Only if the row is this file: a page can have a legacy twin (spaces), and the other may remain with its links.
    const isThisFile = and(eq(pages.wikiId, wikiId), eq(pages.path, key), eq(pages.filePath, change.path));
    return [
      db.delete(pageLinks).where(and(eq(pageLinks.wikiId, wikiId), eq(pageLinks.src, key), sql`exists (select 1 from ${pages} where ${isThisFile})`)),
      db.delete(pages).where(isThisFile),
    ];
  }
  const bytes = await readBlob(change.newOid!);
  const text = decoder.decode(bytes);
  const doc = pageDocument(key, text);
  const row = {
    wikiId,
    path: key,
    filePath: change.path,
    title: doc.title,
    frontmatter: doc.frontmatter ? JSON.stringify(doc.frontmatter) : null,
    category: doc.category,
    tags: doc.tags.length ? ` ${doc.tags.join(' ')} ` : '',
    size: bytes.byteLength,
    blobOid: change.newOid!,
    updatedCommit: commit.oid,
    updatedAt: commit.at,
    updatedBy: commit.author.name,
  };
  const { wikiId: _w, path: _p, ...update } = row;
  return [
    // An upsert keeps the row's id, which is also its full-text rowid.
    db.insert(pages).values(row).onConflictDoUpdate({ target: [pages.wikiId, pages.path], set: update }),
    db.run(sql`insert or replace into pages_fts (rowid, wiki, title, body)
      select ${pages.id}, ${wikiId}, ${doc.title}, ${searchable(doc.body)} from ${pages} where ${pages.wikiId} = ${wikiId} and ${pages.path} = ${key}`),
    dropLinks,
    ...(doc.links.length ? [db.insert(pageLinks).values(doc.links.map((dst) => ({ wikiId, src: key, dst }))).onConflictDoNothing()] : []),
  ];
}

function attachmentStatement(db: Db, wikiId: string, commit: CommitSummary, owner: string, change: FileDiff, size: number): Statement {
  const name = change.path.slice(change.path.lastIndexOf('/') + 1);
  if (change.status === 'deleted') {
    return db.delete(attachments).where(and(eq(attachments.wikiId, wikiId), eq(attachments.page, owner), eq(attachments.name, name)));
  }
  return db
    .insert(attachments)
    .values({ wikiId, page: owner, name, filePath: change.path, size, blobOid: change.newOid!, updatedCommit: commit.oid, updatedAt: commit.at })
    .onConflictDoUpdate({ target: [attachments.wikiId, attachments.page, attachments.name], set: { filePath: change.path, size, blobOid: change.newOid!, updatedCommit: commit.oid, updatedAt: commit.at } });
}
