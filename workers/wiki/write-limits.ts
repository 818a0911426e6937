/**
 * Writes per person and per address, counted in sqld so the limits hold
 * across processes: a runaway agent or script gets 429s with Retry-After
 * instead of filling a wiki's history. Counted only for writes that will be
 * attempted, after access is checked.
 */
import { clientAddress } from '../lib/client-address.ts';
import type { Db } from '../lib/db.ts';
import { enforceRates, RATE_RULES, type RateEvent, type RateRule } from '../lib/limits/rate-limit.ts';
import type { Caller } from './access.ts';

/** `WRITES_PER_MINUTE` (per person; an address gets twice as many); default the rule's own limit. */
function rules(env: { WRITES_PER_MINUTE?: string }): { user: RateRule; ip: RateRule } {
  const perMinute = Number(env.WRITES_PER_MINUTE);
  if (!Number.isSafeInteger(perMinute) || perMinute <= 0) return { user: RATE_RULES.writesPerUser, ip: RATE_RULES.writesPerIp };
  return { user: { ...RATE_RULES.writesPerUser, limit: perMinute }, ip: { ...RATE_RULES.writesPerIp, limit: 2 * perMinute } };
}

export async function countWrite(env: { WRITES_PER_MINUTE?: string }, db: Db, caller: Caller, request?: Request): Promise<void> {
  const { user, ip } = rules(env);
  const events: RateEvent[] = [];
  if (caller.kind === 'member') events.push({ rule: user, subject: `user:${caller.did}` });
  const address = clientAddress(request);
  if (address) events.push({ rule: ip, subject: `ip:${address}` });
  await enforceRates(db, events);
}
