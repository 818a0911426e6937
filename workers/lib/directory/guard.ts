/**
 * Preconditions inside atomic batches (see `casGuard` in db/schema.ts): a
 * statement that fails, rolling the whole batch back, unless a condition
 * still holds when the batch runs. Checks made before a batch give the
 * friendly error; the guard closes the race between the check and the write.
 */
import { sql, type SQL } from 'drizzle-orm';
import { casGuard } from '../../../db/schema.ts';
import type { Db } from '../db.ts';

/** Fails the batch unless `condition` is true (NULL counts as false). */
export function failUnless(db: Db, condition: SQL) {
  return db.run(sql`insert into ${casGuard} (ok) select 0 where coalesce((${condition}), 0) = 0`);
}

/** True when `err` is a guard of `failUnless` (or the wiki index's) failing. */
export function isGuardFailure(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    if (/cas_guard_ok|CHECK constraint failed: cas_guard/.test(String((e as Error).message ?? e))) return true;
  }
  return false;
}

/** True when `err` is a foreign key refusing the write (a row it names is gone, or something still names a deleted row). */
export function isForeignKeyFailure(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    if (/FOREIGN KEY constraint failed/.test(String((e as Error).message ?? e))) return true;
  }
  return false;
}
