/** Schema migrations against a real sqld: idempotent, forward from older, refusing newer. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestSqld, type TestSqld } from '../../test/helpers/sqld.ts';
import { tempDir } from '../../test/helpers/temp.ts';
import { StartupError } from './fail.ts';
import { migrateStore, MIGRATIONS_DIR } from './migrate.ts';

let s: TestSqld;
beforeEach(async () => void (s = await startTestSqld({ migrate: false })));
afterEach(() => s.stop());

/** db/migrations plus one later migration that adds a column, as a newer release would. */
function newerMigrations(): string {
  const dir = tempDir('wikifarm-migrations-');
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8'));
  const last = journal.entries.at(-1);
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_newer' });
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  fs.writeFileSync(path.join(dir, '9999_newer.sql'), 'ALTER TABLE `wikis` ADD `theme` text;');
  return dir;
}

it('creates every core table and is idempotent', async () => {
  const first = await migrateStore(s.db);
  assert.equal(first.applied, first.total);
  const tables = (await s.db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table'`)).map((t) => t.name);
  for (const t of ['users', 'wikis', 'members', 'sessions', 'personal_access_tokens', 'audit_log']) assert.ok(tables.includes(t), t);
  const second = await migrateStore(s.db);
  assert.equal(second.applied, 0);
});

it('brings an older schema forward, keeping its rows', async () => {
  await migrateStore(s.db);
  await s.db.run(sql`insert into users (did, handle, created_at, updated_at) values ('did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', 'a.example', 0, 0)`);
  const result = await migrateStore(s.db, newerMigrations());
  assert.equal(result.applied, 1);
  const cols = (await s.db.all<{ name: string }>(sql`select name from pragma_table_info('wikis')`)).map((c) => c.name);
  assert.ok(cols.includes('theme'));
  assert.equal((await s.db.all(sql`select * from users`)).length, 1);
});

it('refuses a store written by a newer release, without touching it', async () => {
  await migrateStore(s.db, newerMigrations());
  const schemaBefore = await s.db.all(sql`select name, sql from sqlite_master order by name`);
  const ledgerBefore = await s.db.all(sql`select * from __drizzle_migrations order by id`);
  await assert.rejects(migrateStore(s.db), (e: unknown) => e instanceof StartupError && /newer release/.test(e.message));
  assert.deepEqual(await s.db.all(sql`select name, sql from sqlite_master order by name`), schemaBefore);
  assert.deepEqual(await s.db.all(sql`select * from __drizzle_migrations order by id`), ledgerBefore);
});

it('refuses a database it did not create', async () => {
  await s.db.run(sql`create table stranger (x)`);
  await assert.rejects(migrateStore(s.db), (e: unknown) => e instanceof StartupError && /not created by this project/.test(e.message));
});
