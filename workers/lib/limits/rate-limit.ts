/**
 * Rate limits shared by every process: fixed-window counters in sqld, so a
 * limit holds across workerd processes and restarts. One round trip per check
 * (an upsert that returns the new count), or none of its own when counted in
 * the batch of the write it limits (`countInBatch`).
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import { rateGuard, rateLimits } from '../../../db/schema.ts';
import { isCheckFailure } from '../check-failure.ts';
import type { Db, Statement } from '../db.ts';
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

/** Forgets counters of windows long past (a day covers every rule's window). */
function sweepStatement(db: Db, now: number) {
  return db.delete(rateLimits).where(lt(rateLimits.windowStart, now - 24 * HOUR));
}

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
    await sweepStatement(db, now);
  }
  return events.map(({ rule }, i) => {
    const count = rows[i]?.[0]?.count ?? 1;
    if (count <= rule.limit) return { ok: true, remaining: rule.limit - count };
    return { ok: false, retryAfterS: retryAfterS(rule, now) };
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
    if (!verdict.ok) throw rateLimited(events[i]!.rule, verdict.retryAfterS);
  });
}

/** The 429 for going over `rule`, to be retried after `retryAfterS` seconds. */
export function rateLimited(rule: RateRule, retryAfterS: number): AppError {
  return new AppError('rate_limited', `Too many ${rule.what}. Try again in ${retryAfterS} s.`, { retry_after: retryAfterS });
}

/** Whole seconds (at least 1) until the window `now` falls in ends. */
export function retryAfterS(rule: RateRule, now: number): number {
  return Math.max(1, Math.ceil((windowEnd(rule, now) - now) / 1000));
}

/** When the window `now` falls in ends, in milliseconds since the epoch. */
export function windowEnd(rule: RateRule, now: number): number {
  return now - (now % rule.windowMs) + rule.windowMs;
}

/**
 * Counting inside another batch (the write being limited): statements that
 * add one to each event's counter, then fail the batch through the rate
 * guard (`isRateGuardFailure`) if any counter went over its limit. A failed
 * batch counts nothing, so only writes that happen are counted.
 */
export function countInBatch(db: Db, events: readonly RateEvent[], now = Date.now()): Statement[] {
  const sweep = ++sinceSweep >= SWEEP_EVERY ? [sweepStatement(db, now)] : [];
  if (sweep.length) sinceSweep = 0;
  return [...sweep, ...events.flatMap(({ rule, subject }) => {
    const key = `${rule.name}:${subject}`;
    const windowStart = now - (now % rule.windowMs);
    return [
      db
        .insert(rateLimits)
        .values({ key, windowStart, count: 1 })
        .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } }),
      db.run(sql`insert into ${rateGuard} (ok) select 0 where (select ${rateLimits.count} from ${rateLimits}
        where ${and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart))}) > ${rule.limit}`),
    ];
  })];
}

/** True when `err` is a batch failing because `countInBatch` went over a limit. */
export function isRateGuardFailure(err: unknown): boolean {
  return isCheckFailure(err, 'rate_guard');
}

export function enforceRate(db: Db, rule: RateRule, subject: string, now = Date.now()): Promise<void> {
  return enforceRates(db, [{ rule, subject }], now);
}
