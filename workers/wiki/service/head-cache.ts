/**
 * A per-isolate cache of values derived from one state of a wiki. Keys
 * include the wiki's head commit, so an entry is never stale: a write moves
 * the head and old entries are simply no longer asked for. (The index a
 * value was read from is never older than the head in its key: the head and
 * the index move together in one batch.)
 */
import { BoundedCache } from '../../lib/bounded-cache.ts';

const cache = new BoundedCache<unknown>({ maxEntries: 4000, maxSize: 32 * 1024 * 1024 });

/** The cached value for `key`, computing and remembering it on a miss; concurrent misses share one computation. */
export async function cachedForHead<T>(key: string, compute: () => Promise<T>, sizeOf: (value: T) => number): Promise<T> {
  const hit = cache.get(key);
  if (hit !== undefined) return hit as T;
  return shared(key, async () => {
    const value = await compute();
    cache.set(key, value, sizeOf(value));
    return value;
  });
}

/** A computation other requests may be waiting for (see shared). */
interface Computation {
  since: number;
  /** Requests waiting for it now. */
  waiting: number;
  /** Set once it has ended. */
  outcome?: { value: unknown } | { error: unknown };
}

/** Values being computed, by key: requests that miss together compute once (after a write moves the head, every reader misses at once). */
const computing = new Map<string, Computation>();

/** A waiter looks again after at most this long, doubling from 1 ms. */
const MAX_POLL_MS = 8;
/** A computation takes milliseconds; one running this long most likely belongs to a request that died (cancelled before it could end it). */
export const STALE_MS = 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Shares one computation among requests that miss together, without
 * caching its value: `shared(key, compute)` runs `compute` unless a call
 * with the same key is running, whose value (or failure) it then gives.
 * `compute` learns how many requests are waiting for it.
 *
 * A waiter awaits nothing the computing request settles: only timers of its
 * own, looking at the outcome each time they fire. Awaiting the computing
 * request's promise made workerd cancel waiters as hung, or run their
 * continuations as the other request (the benchmark saw 49 of one page-index
 * computation's waiters answer 500: one "code had hung", then "Cannot perform
 * I/O on behalf of a different request"). A computation STALE_MS old belongs
 * to a request that died before ending it: a waiter then computes itself.
 */
export async function shared<T>(key: string, compute: (waiting: () => number) => Promise<T>): Promise<T> {
  const running = computing.get(key);
  if (running && Date.now() - running.since <= STALE_MS) {
    running.waiting++;
    try {
      for (let poll = 1; !running.outcome && Date.now() - running.since <= STALE_MS; poll = Math.min(poll * 2, MAX_POLL_MS)) await sleep(poll);
    } finally {
      running.waiting--;
    }
    const outcome = running.outcome;
    if (outcome) {
      if ('error' in outcome) throw outcome.error;
      return outcome.value as T;
    }
  }
  const mine: Computation = { since: Date.now(), waiting: 0 };
  computing.set(key, mine);
  try {
    const value = await compute(() => mine.waiting);
    mine.outcome = { value };
    return value;
  } catch (error) {
    mine.outcome = { error };
    throw error;
  } finally {
    if (computing.get(key) === mine) computing.delete(key);
  }
}

/** What `remember` stored under `key`, if it is still there. */
export function recall<T>(key: string): T | undefined {
  return cache.get(key) as T | undefined;
}

export function remember<T>(key: string, value: T, size: number): void {
  cache.set(key, value, size);
}
