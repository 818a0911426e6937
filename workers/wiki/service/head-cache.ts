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

/** Values being computed, by key: requests that miss together compute once (after a write moves the head, every reader misses at once). */
const computing = new Map<string, Promise<unknown>>();

/**
 * Shares one computation among requests that miss together, without
 * caching its value: `shared(key, compute)` runs `compute` unless a call
 * with the same key is running, whose value (or failure) it then gives.
 */
export async function shared<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const pending = computing.get(key);
  if (pending) return pending as Promise<T>;
  const work = compute();
  computing.set(key, work);
  try {
    return await work;
  } finally {
    computing.delete(key);
  }
}

/** What `remember` stored under `key`, if it is still there. */
export function recall<T>(key: string): T | undefined {
  return cache.get(key) as T | undefined;
}

export function remember<T>(key: string, value: T, size: number): void {
  cache.set(key, value, size);
}
