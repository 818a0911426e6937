/**
 * Applies db/migrations to the store at every start. drizzle's migrator is
 * idempotent (it records applied migrations in __drizzle_migrations); before
 * it runs, a store written by a newer release, or one whose applied migrations
 * differ from ours, is refused with a clear message instead of being altered.
 */
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { sql } from 'drizzle-orm';
import type { Db } from '../../workers/lib/db.ts';
import { ROOT } from './build.ts';
import { StartupError } from './fail.ts';

export const MIGRATIONS_DIR = path.join(ROOT, 'db', 'migrations');
const TABLE = '__drizzle_migrations';

export interface MigrationResult {
  applied: number;
  total: number;
}

export async function migrateStore(db: Db, migrationsFolder = MIGRATIONS_DIR): Promise<MigrationResult> {
  const local = readMigrationFiles({ migrationsFolder });
  const tables = await db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite%' and substr(name, 1, 2) <> '__'`);
  const hasLedger = (await db.all(sql`select 1 from sqlite_master where type = 'table' and name = ${TABLE}`)).length > 0;
  if (!hasLedger && tables.length > 0) {
    throw new StartupError(`the database already has tables (${tables.map((t) => t.name).join(', ')}) but no migration record; it was not created by this project`);
  }
  const applied = hasLedger ? await db.all<{ hash: string; created_at: number }>(sql.raw(`select hash, created_at from ${TABLE} order by created_at`)) : [];
  const byTime = new Map(local.map((m) => [m.folderMillis, m.hash]));
  for (const row of applied) {
    const known = byTime.get(Number(row.created_at));
    if (known === undefined) {
      throw new StartupError(`the database has schema migration ${row.created_at}, which this code does not know: it was written by a newer release. Upgrade the code, or restore a backup.`);
    }
    if (known !== row.hash) {
      throw new StartupError(`schema migration ${row.created_at} in the database differs from db/migrations; the migration files were edited after being applied`);
    }
  }
  await migrate(db, { migrationsFolder });
  return { applied: local.length - applied.length, total: local.length };
}
