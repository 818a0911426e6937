/**
 * runBatch against a real sqld: a write larger than one part goes through an
 * interactive transaction in parts and is still all or nothing.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestSqld, type TestSqld } from '../../test/helpers/sqld.ts';
import { runBatch, type Statement } from './db.ts';

let s: TestSqld;
before(async () => {
  s = await startTestSqld({ migrate: false });
  await s.db.run(sql`create table items (id integer primary key, body text not null)`);
});
after(() => s.stop());
beforeEach(() => s.db.run(sql`delete from items`));

const insert = (id: number, body = `item ${id}`): Statement => s.db.run(sql`insert into items (id, body) values (${id}, ${body})`);
const count = async () => Number((await s.db.all<{ n: number }>(sql`select count(*) as n from items`))[0]!.n);
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => insert(from + i));

describe('runBatch', () => {
  it('writes a batch of one part, and does nothing for none', async () => {
    await runBatch(s.db, []);
    await runBatch(s.db, range(1, 3));
    assert.equal(await count(), 3);
  });

  it('writes every statement of a batch larger than a part, in order', async () => {
    const statements = [...range(1, 1200), s.db.run(sql`update items set body = 'last' where id = 1`)];
    await runBatch(s.db, statements, 500);
    assert.equal(await count(), 1200);
    const [first] = await s.db.all<{ body: string }>(sql`select body from items where id = 1`);
    assert.equal(first!.body, 'last', 'a statement in the last part sees the first part');
  });

  it('writes nothing when a statement of a later part fails, and says which', async () => {
    // Part 3 inserts an id that part 1 already did.
    const statements = [...range(1, 1100), insert(7, 'again')];
    await assert.rejects(runBatch(s.db, statements, 500), (err: unknown) => {
      let text = '';
      for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) text += ` ${(e as Error).message}`;
      return /UNIQUE constraint failed/.test(text);
    });
    assert.equal(await count(), 0);
  });

  it('runs large batches from two writers at once, one after the other', async () => {
    await Promise.all([runBatch(s.db, range(1, 1200), 300), runBatch(s.db, range(10_001, 1200), 300), runBatch(s.db, range(20_001, 5))]);
    assert.equal(await count(), 2405);
  });
});
