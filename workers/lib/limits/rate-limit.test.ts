/** Rate limits against a real sqld: counted per subject and window, shared by every client. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { openDb } from '../db.ts';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { AppError } from '../errors.ts';
import { sql } from 'drizzle-orm';
import { countEvent, countInBatch, enforceRate, isRateGuardFailure, type RateRule } from './rate-limit.ts';

const rule: RateRule = { name: 'test', what: 'tries', limit: 3, windowMs: 60_000 };
let s: TestSqld;
before(async () => (s = await startTestSqld()));
after(() => s.stop());

it('allows the limit, refuses the next with the seconds left in the window, and starts again in the next window', async () => {
  const t0 = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
  for (let i = 0; i < 3; i++) assert.deepEqual(await countEvent(s.db, rule, 'ip:1', t0 + 1000), { ok: true, remaining: 2 - i });
  assert.deepEqual(await countEvent(s.db, rule, 'ip:1', t0 + 15_000), { ok: false, retryAfterS: 45 });
  assert.equal((await countEvent(s.db, rule, 'ip:2', t0 + 15_000)).ok, true, 'another subject has its own count');
  assert.equal((await countEvent(s.db, rule, 'ip:1', t0 + 60_000)).ok, true, 'a new window');
});

it('holds across separate clients (processes share the count through sqld)', async () => {
  const other = openDb({ url: s.url });
  try {
    const now = Date.now();
    await Promise.all([0, 1, 2].map((i) => countEvent(i % 2 ? other.db : s.db, rule, 'user:shared', now)));
    await assert.rejects(enforceRate(other.db, rule, 'user:shared', now), (e) => e instanceof AppError && e.status === 429 && typeof e.details?.retry_after === 'number' && /Too many tries/.test(e.message));
  } finally {
    other.client.close();
  }
});

it('counts inside a write\'s own batch: the write over the limit fails whole and counts nothing', async () => {
  await s.db.run(sql`create table if not exists limited_writes (n integer)`);
  const t0 = 1_900_000_000_000 - (1_900_000_000_000 % 60_000);
  const write = (n: number) => s.db.batch([s.db.run(sql`insert into limited_writes (n) values (${n})`), ...countInBatch(s.db, [{ rule, subject: 'user:batch' }], t0 + 1000)] as [never]);
  for (let n = 0; n < 3; n++) await write(n);
  await assert.rejects(write(3), (e) => isRateGuardFailure(e));
  const rows = await s.db.all<{ n: number }>(sql`select n from limited_writes order by n`);
  assert.deepEqual(rows.map((r) => r.n), [0, 1, 2], 'the refused write wrote nothing');
  const [counter] = await s.db.all<{ count: number }>(sql`select count from rate_limits where key = 'test:user:batch'`);
  assert.equal(counter?.count, 3, 'the refused write did not count');
});
