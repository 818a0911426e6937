/**
 * Readers that miss together share one computation (workers/wiki/service/head-cache.ts).
 * When the request computing it dies (its client gone while sqld stalls), the readers
 * waiting for it must still be answered, not cancelled as hung.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { pages, wikis } from '../../db/schema.ts';
import { openDb } from '../../workers/lib/db.ts';
import { seedWiki, startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
before(async () => {
  t = await startTestStack();
  await seedWiki(t.stack, 'demo');
  // 1,000 rows in the page index (no git behind them: only the index is read), so computing it takes a while.
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  const [wiki] = await db.select().from(wikis).where(eq(wikis.slug, 'demo'));
  for (let i = 0; i < 1000; i += 100) {
    await db.insert(pages).values(Array.from({ length: 100 }, (_, k) => ({ wikiId: wiki!.id, path: `P_${i + k}`, filePath: `P_${i + k}.md`, title: `Page ${i + k}`, size: 1, blobOid: '0'.repeat(40), updatedCommit: '0'.repeat(40), updatedAt: 1, updatedBy: 'test' })));
  }
  client.close();
});
after(() => t.stop());

it('answers the readers of a computation whose request was cancelled', async () => {
  const address = t.url('/api/v1/pages?limit=1000&probe=1', 'demo');
  // The wiki's state is now remembered, so the next requests reach the shared computation without sqld.
  assert.equal((await t.fetch(t.url('/api/v1/pages', 'demo'))).status, 200);
  const sqld = t.stack.children().sqld;
  sqld.process.kill('SIGSTOP');
  let waiters: Promise<Response>[] = [];
  try {
    const gone = new AbortController();
    const first = t.fetch(address, { signal: gone.signal }).catch(() => null);
    await sleep(150); // it computes, and waits for sqld
    gone.abort();
    assert.equal(await first, null);
    await sleep(50);
    waiters = Array.from({ length: 5 }, () => t.fetch(address));
    await sleep(150);
  } finally {
    sqld.process.kill('SIGCONT');
  }
  const answers = await Promise.all(waiters);
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200]);
  for (const r of answers) assert.ok(Array.isArray(((await r.json()) as { pages: unknown[] }).pages));
});

it('answers every one of 50 readers that miss the same address together', async () => {
  for (let round = 0; round < 20; round++) {
    const address = t.url(`/api/v1/pages?limit=1000&herd=${round}`, 'demo');
    const answers = await Promise.all(Array.from({ length: 50 }, () => t.fetch(address)));
    const statuses = answers.map((r) => r.status);
    assert.deepEqual(statuses, statuses.map(() => 200), `round ${round}`);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    assert.ok(bodies.every((b) => b === bodies[0]), 'one answer for all');
  }
});
