/**
 * Rate limits shared by every process: fixed-window counters in sqld, so a
 * limit holds across workerd processes and restarts. One round trip per check
 * (an upsert that returns the new count).
 */
import { lt, sql } from 'drizzle-orm';
import { rateLimits } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';

export interface RateRule {
  /** Names the limit in keys and messages, e.g. `signin`. */
  name: string;
  /** What is being limited, for the error message ("sign-in attempts"). */
  what: string;
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The platform's limits. Subjects are a DID (`user:`) or an address (`ip:`). */
export const RATE_RULES = {
  signInPerIp: { name: 'signin-ip', what: 'sign-in attempts', limit: 20, windowMs: 10 * MINUTE },
  wikiCreatePerUser: { name: 'wiki-create-user', what: 'new wikis', limit: 10, windowMs: HOUR },
  tokenMintPerUser: { name: 'token-mint-user', what: 'new tokens', limit: 30, windowMs: HOUR },
  writesPerUser: { name: 'writes-user', what: 'writes', limit: 600, windowMs: MINUTE },
  writesPerIp: { name: 'writes-ip', what: 'writes', limit: 1200, windowMs: MINUTE },
} as const satisfies Record<string, RateRule>;

export type RateVerdict = { ok: true; remaining: number } | { ok: false; retryAfterS: number };

/** Old windows are swept now and then by whoever counts, never on the hot path's every call. */
const SWEEP_EVERY = 500;
let sinceSweep = 0;

/** One event to count: a rule and who it is about. */
export interface RateEvent {
  rule: RateRule;
  subject: string;
}

/** Counts each event against its rule, in one round trip, and says for each whether it is allowed. */
export async function countEvents(db: Db, events: readonly RateEvent[], now = Date.now()): Promise<RateVerdict[]> {
  if (events.length === 0) return [];
  const upserts = events.map(({ rule, subject }) =>
    db
      .insert(rateLimits)
      .values({ key: `${rule.name}:${subject}`, windowStart: now - (now % rule.windowMs), count: 1 })
      .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
      .returning({ count: rateLimits.count }),
  );
  const rows = (await db.batch(upserts as [(typeof upserts)[number], ...(typeof upserts)[number][]])) as { count: number }[][];
  if (++sinceSweep >= SWEEP_EVERY) {
    sinceSweep = 0;
    // A day covers every rule's window.
    await db.delete(rateLimits).where(lt(rateLimits.windowStart, now - 24 * HOUR));
  }
  return events.map(({ rule }, i) => {
    const count = rows[i]?.[0]?.count ?? 1;
    const windowStart = now - (now % rule.windowMs);
    if (count <= rule.limit) return { ok: true, remaining: rule.limit - count };
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000)) };
  });
}

/** Counts one event against `rule` for `subject` and says whether it is allowed. */
export async function countEvent(db: Db, rule: RateRule, subject: string, now = Date.now()): Promise<RateVerdict> {
  return (await countEvents(db, [{ rule, subject }], now))[0]!;
}

/** Counts the events and throws `rate_limited` (429) for the first that is over its limit. */
export async function enforceRates(db: Db, events: readonly RateEvent[], now = Date.now()): Promise<void> {
  const verdicts = await countEvents(db, events, now);
  verdicts.forEach((verdict, i) => {
    if (!verdict.ok) {
      throw new AppError('rate_limited', `Too many ${events[i]!.rule.what}. Try again in ${verdict.retryAfterS} s.`, { retry_after: verdict.retryAfterS });
    }
  });
}

/**
 * Counts the event and throws `rate_limited` (429) when it is over the limit;
 * `retry_after` in the details becomes the Retry-After header.
 */
export function enforceRate(db: Db, rule: RateRule, subject: string, now = Date.now()): Promise<void> {
  return enforceRates(db, [{ rule, subject }], now);
}
