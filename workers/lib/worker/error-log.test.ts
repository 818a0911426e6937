/** The error log insert, over sqld's HTTP pipeline as a worker sends it, against a real sqld. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { desc } from 'drizzle-orm';
import { errorLog } from '../../../db/schema.ts';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { clipRecord, describeError, ERROR_FIELD_MAX, ERROR_LOG_KEEP, insertError, type SqldFetcher } from './error-log.ts';

let s: TestSqld;
let sqld: SqldFetcher;

before(async () => {
  s = await startTestSqld();
  // What the SQLD binding does: any host, sent to sqld.
  sqld = { fetch: (input, init) => fetch(input.replace('http://sqld.internal', s.url), init) };
});
after(() => s.stop());

it('stores an error with every field cut to size', async () => {
  await insertError(sqld, { worker: 'platform', requestId: 'req-1', method: 'POST', url: `http://wiki.localhost/${'x'.repeat(5000)}`, message: describeError(new TypeError('boom')) });
  const [row] = await s.db.select().from(errorLog).orderBy(desc(errorLog.id)).limit(1);
  assert.ok(row);
  assert.equal(row.worker, 'platform');
  assert.equal(row.requestId, 'req-1');
  assert.equal(row.url!.length, ERROR_FIELD_MAX.url);
  assert.match(row.message, /^TypeError: boom\n/);
  assert.ok(Date.now() - row.at < 10_000);
});

it('keeps only the newest rows', async () => {
  await s.db.insert(errorLog).values(Array.from({ length: ERROR_LOG_KEEP + 5 }, (_, i) => ({ at: i, worker: 'w', message: `old ${i}` })));
  await insertError(sqld, { worker: 'wiki', requestId: null, method: null, url: null, message: 'newest' });
  const rows = await s.db.select().from(errorLog);
  assert.equal(rows.length, ERROR_LOG_KEEP);
  assert.ok(rows.some((r) => r.message === 'newest'));
});

it('fails loudly (for the caller to log) when sqld refuses', async () => {
  await assert.rejects(insertError({ fetch: async () => new Response('nope', { status: 500 }) }, { worker: 'w', requestId: null, method: null, url: null, message: 'm' }), /sqld answered 500/);
});

it('describes non-errors and clips long messages', () => {
  assert.equal(describeError('plain'), 'non-error thrown: plain');
  assert.equal(describeError({ a: 1 }), 'non-error thrown: {"a":1}');
  assert.equal(clipRecord({ worker: 'w', requestId: null, method: 'GET', url: null, message: 'y'.repeat(9999) }).message.length, ERROR_FIELD_MAX.message);
});
