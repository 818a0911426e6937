/** The quota guard over the usage row that triggers keep (migration 0009), against a real sqld. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { attachments, pages, wikiUsage } from '../../../db/schema.ts';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { upsertUser } from '../../lib/directory/users.ts';
import { createWiki, deleteWiki, setWikiQuota } from '../../lib/directory/wikis.ts';
import { isQuotaFailure, requireWithinQuota } from './guard.ts';

const OWNER = 'did:plc:qqqqqqqqqqqqqqqqqqqqqqqq';
const system = { kind: 'system' } as const;
let s: TestSqld;
before(async () => {
  s = await startTestSqld();
  await upsertUser(s.db, { did: OWNER, handle: 'quota.example.com' }, system);
});
after(() => s.stop());

const page = (wikiId: string, path: string, size: number) => ({ wikiId, path, filePath: `${path}.md`, title: path, size, blobOid: 'b'.repeat(40), updatedCommit: 'c'.repeat(40), updatedAt: 0, updatedBy: 'x' });
const file = (wikiId: string, name: string, size: number) => ({ wikiId, page: 'A', name, filePath: `A/${name}`, size, blobOid: 'b'.repeat(40), updatedCommit: 'c'.repeat(40), updatedAt: 0 });

async function usage(wikiId: string) {
  const [row] = await s.db.select({ bytes: wikiUsage.bytes, pages: wikiUsage.pages }).from(wikiUsage).where(eq(wikiUsage.wikiId, wikiId));
  return row ?? null;
}

it('keeps each wiki\'s bytes and page count through inserts, size changes and deletions of pages and attachments', async () => {
  const wiki = await createWiki(s.db, { slug: 'usage', ownerDid: OWNER }, system);
  const other = await createWiki(s.db, { slug: 'usage-other', ownerDid: OWNER }, system);
  await s.db.insert(pages).values([page(wiki.id, 'A', 100), page(wiki.id, 'B', 50), page(other.id, 'A', 7)]);
  await s.db.insert(attachments).values(file(wiki.id, 'a.png', 1000));
  assert.deepEqual(await usage(wiki.id), { bytes: 1150, pages: 2 });
  await s.db.update(pages).set({ size: 300 }).where(and(eq(pages.wikiId, wiki.id), eq(pages.path, 'A')));
  await s.db.update(attachments).set({ size: 10 }).where(eq(attachments.wikiId, wiki.id));
  await s.db.delete(pages).where(and(eq(pages.wikiId, wiki.id), eq(pages.path, 'B')));
  assert.deepEqual(await usage(wiki.id), { bytes: 310, pages: 1 });
  assert.deepEqual(await usage(other.id), { bytes: 7, pages: 1 }, 'another wiki keeps its own count');
  await s.db.delete(attachments).where(eq(attachments.wikiId, wiki.id));
  assert.deepEqual(await usage(wiki.id), { bytes: 300, pages: 1 });
  // Deleting a wiki cascades its pages after its usage row: nothing is re-inserted, nothing fails.
  await deleteWiki(s.db, wiki, system);
  assert.equal(await usage(wiki.id), null);
});

it('refuses a batch that takes a wiki over its bytes or pages, and nothing in it is written', async () => {
  const wiki = await createWiki(s.db, { slug: 'small', ownerDid: OWNER }, system);
  await setWikiQuota(s.db, 'small', { maxBytes: 1000, maxPages: 2 }, system);
  await s.db.batch([s.db.insert(pages).values(page(wiki.id, 'A', 400)), requireWithinQuota(s.db, wiki.id)]);
  await assert.rejects(s.db.batch([s.db.insert(pages).values(page(wiki.id, 'B', 700)), requireWithinQuota(s.db, wiki.id)]), (e) => isQuotaFailure(e), 'over the bytes');
  await s.db.batch([s.db.insert(pages).values(page(wiki.id, 'B', 100)), requireWithinQuota(s.db, wiki.id)]);
  await assert.rejects(s.db.batch([s.db.insert(pages).values(page(wiki.id, 'C', 1)), requireWithinQuota(s.db, wiki.id)]), (e) => isQuotaFailure(e), 'over the pages');
  assert.deepEqual(await usage(wiki.id), { bytes: 500, pages: 2 }, 'refused batches changed nothing');
});
