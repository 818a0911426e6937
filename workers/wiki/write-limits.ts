/**
 * Writes per person and per address, counted in sqld so the limits hold
 * across processes: a runaway agent or script gets 429s with Retry-After
 * instead of filling a wiki's history. Counted only for writes that will be
 * attempted, after access is checked.
 *
 * Writes through `commitWrite` are counted in their own batch (no round trip
 * of their own): the batch fails, storing nothing in the index, when the
 * count goes over. The objects such a write stored first are unreferenced;
 * so that a refused writer cannot keep adding them, this isolate remembers
 * the refusal until the window ends and counts that writer's next writes
 * before anything is stored.
 */
import { clientAddress } from '../lib/client-address.ts';
import { AppError } from '../lib/errors.ts';
import type { Db } from '../lib/db.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { countInBatch, enforceRates, RATE_RULES, rateLimited, retryAfterS, windowEnd, type RateEvent, type RateRule } from '../lib/limits/rate-limit.ts';
import type { Caller } from './access.ts';
import type { Repository, WriteLimit } from './service/repository-handle.ts';

/** `WRITES_PER_MINUTE` (per person; an address gets twice as many); default the rule's own limit. */
function rules(env: { WRITES_PER_MINUTE?: string }): { user: RateRule; ip: RateRule } {
  const perMinute = Number(env.WRITES_PER_MINUTE);
  if (!Number.isSafeInteger(perMinute) || perMinute <= 0) return { user: RATE_RULES.writesPerUser, ip: RATE_RULES.writesPerIp };
  return { user: { ...RATE_RULES.writesPerUser, limit: perMinute }, ip: { ...RATE_RULES.writesPerIp, limit: 2 * perMinute } };
}

function writeEvents(env: { WRITES_PER_MINUTE?: string }, caller: Caller, request?: Request): RateEvent[] {
  const { user, ip } = rules(env);
  const events: RateEvent[] = [];
  if (caller.kind === 'member') events.push({ rule: user, subject: `user:${caller.did}` });
  const address = clientAddress(request);
  if (address) events.push({ rule: ip, subject: `ip:${address}` });
  return events;
}

/** Counts a write now (one round trip); throws `rate_limited` over the limit. For writes outside `commitWrite` (git pushes). */
export async function countWrite(env: { WRITES_PER_MINUTE?: string }, db: Db, caller: Caller, request?: Request): Promise<void> {
  await enforceRates(db, writeEvents(env, caller, request));
}

/** Subjects this isolate saw refused, until their window ends (ms). */
const refusedUntil = new BoundedCache<number>({ maxEntries: 10_000, maxSize: 10_000 * 8 });

const subjectKey = (e: RateEvent) => `${e.rule.name}:${e.subject}`;

/**
 * Puts the caller's write limit on the repository handle for `commitWrite`:
 * counted in the write's batch, or, for a writer refused lately, counted
 * before anything is stored.
 */
export function admitWrite(env: { WRITES_PER_MINUTE?: string }, repo: Repository, caller: Caller, request?: Request): void {
  const events = writeEvents(env, caller, request);
  const now = Date.now();
  const refused = events.some((e) => (refusedUntil.get(subjectKey(e)) ?? 0) > now);
  repo.writeLimit = refused ? countedFirst(repo.db, events, now) : countedInBatch(repo.db, events, now);
}

function countedInBatch(db: Db, events: RateEvent[], now: number): WriteLimit {
  // The batch does not say which counter went over: every subject of this write waits for its window.
  const remember = () => {
    for (const e of events) refusedUntil.set(subjectKey(e), windowEnd(e.rule, now), 8);
  };
  return {
    ready: Promise.resolve(),
    statements: countInBatch(db, events, now),
    refusal() {
      remember();
      const rule = events[0]?.rule ?? RATE_RULES.writesPerUser;
      return rateLimited(rule, retryAfterS(rule, now));
    },
    async countRefused() {
      // Over the limit: the writer's next writes are counted before anything is stored. The write's own error stands.
      await enforceRates(db, events, now).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'rate_limited') remember();
        else throw err;
      });
    },
  };
}

function countedFirst(db: Db, events: RateEvent[], now: number): WriteLimit {
  const ready = enforceRates(db, events, now);
  // Awaited by commitWrite; a write refused before it gets there never asks.
  ready.catch(() => {});
  return { ready, statements: [], refusal: () => rateLimited(events[0]?.rule ?? RATE_RULES.writesPerUser, 1), countRefused: async () => {} };
}
