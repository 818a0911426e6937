/**
 * Helpers for the semantic tests (no tests of its own): a migrated sqld with
 * wikis whose pages are written through the wiki's own index statements
 * (indexCommit), so the queue triggers fire as they do in use.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { users, wikis } from '../../../db/schema.ts';
import { runBatch, type Db } from '../../lib/db.ts';
import type { FileDiff } from '../git/diff-trees.ts';
import { indexCommit } from '../index/index-commit.ts';

const OWNER = 'did:plc:semanticsemanticsemantic';
const blobs = new Map<string, Uint8Array>();
let commits = 0;

function oid(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export async function seedWiki(db: Db, id: string): Promise<void> {
  const now = Date.now();
  await db.insert(users).values({ did: OWNER, handle: 'semantic.test.example', createdAt: now, updatedAt: now }).onConflictDoNothing();
  await db.insert(wikis).values({ id, slug: id.toLowerCase().replace(/[^a-z0-9]+/g, '-'), title: id, ownerDid: OWNER, createdAt: now, updatedAt: now });
}

/** One commit changing pages (`null` deletes): the index statements of the write path, in one batch. Returns the commit id. */
export async function commitPages(db: Db, wikiId: string, changes: Record<string, string | null>): Promise<string> {
  const diffs: FileDiff[] = [];
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) {
      diffs.push({ path: `${path}.md`, status: 'deleted', oldOid: '0'.repeat(40) });
      continue;
    }
    const bytes = new TextEncoder().encode(content);
    const b = oid(`${wikiId}:${path}:${content}`);
    blobs.set(b, bytes);
    diffs.push({ path: `${path}.md`, status: 'modified', newOid: b });
  }
  const commit = oid(`commit ${++commits} ${wikiId}`);
  // The pages these changes write (a deleted one has no file at the target).
  const target = { net: diffs, pageFile: async (key: string) => diffs.filter((d) => d.path === `${key}.md` && d.newOid).map((d) => ({ path: d.path, oid: d.newOid! }))[0] ?? null, attachmentFile: async () => null, pageFileIn: async () => null };
  const statements = await indexCommit(db, wikiId, { oid: commit, parent: null, author: { name: 'T', email: 't@example' }, at: Date.now(), message: 'test' }, diffs, target, async (o) => blobs.get(o)!);
  await runBatch(db, statements);
  return commit;
}

export async function queueRows(db: Db, wikiId?: string): Promise<{ wiki_id: string; path: string; gen: number; attempts: number; last_error: string | null }[]> {
  return db.all(sql`select wiki_id, path, gen, attempts, last_error from semantic_queue ${wikiId ? sql`where wiki_id = ${wikiId}` : sql``} order by wiki_id, path`);
}

export async function chunkRows(db: Db, wikiId: string, page?: string): Promise<{ id: number; page: string; revision: string; chunk_index: number; chunk_count: number; section: string; prefix: string; text: string }[]> {
  return db.all(sql`select id, page, revision, chunk_index, chunk_count, section, prefix, text from semantic_chunks where wiki_id = ${wikiId} ${page ? sql`and page = ${page}` : sql``} order by page, chunk_index`);
}

/** `n` words `tag1 … tagN`. */
export function words(tag: string, n: number): string {
  return Array.from({ length: n }, (_, i) => `${tag}${i + 1}`).join(' ');
}
