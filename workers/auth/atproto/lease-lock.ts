/**
 * The OAuth client's `requestLock` across processes: a lease row in sqld.
 * Without it two processes could refresh one ATProto session at once, and the
 * second refresh would burn the single-use refresh token. A lease expires on
 * its own, so a crashed holder never blocks anyone for long.
 */
import { and, eq, lt } from 'drizzle-orm';
import { leases } from '../../../db/schema.ts';
import type { Db } from '../../lib/db.ts';

const LEASE_MS = 15_000;
const WAIT_MS = 20_000;

export function leaseLock(db: Db) {
  return async function requestLock<T>(name: string, fn: () => T | PromiseLike<T>): Promise<T> {
    const key = `atproto:${name}`;
    const holder = crypto.randomUUID();
    const deadline = Date.now() + WAIT_MS;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      const now = Date.now();
      const taken = await db
        .insert(leases)
        .values({ key, holder, expiresAt: now + LEASE_MS })
        .onConflictDoUpdate({ target: leases.key, set: { holder, expiresAt: now + LEASE_MS }, setWhere: lt(leases.expiresAt, now) })
        .returning({ holder: leases.holder });
      if (taken[0]?.holder === holder) break;
      if (now > deadline) throw new Error(`timed out waiting for the lock "${name}"`);
      await new Promise((r) => setTimeout(r, delay));
    }
    try {
      return await fn();
    } finally {
      await db.delete(leases).where(and(eq(leases.key, key), eq(leases.holder, holder)));
    }
  };
}
