/**
 * Guard tables (a single `ok` column with `CHECK (ok = 1)`) make a batch fail
 * on purpose: a statement inserts 0 when its condition does not hold, and the
 * whole batch rolls back. This tells which guard failed, however the client
 * wrapped SQLite's error.
 */
export function isCheckFailure(err: unknown, guard: string): boolean {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    if (new RegExp(`${guard}_ok|CHECK constraint failed: ${guard}`).test(String((e as Error).message ?? e))) return true;
  }
  return false;
}
