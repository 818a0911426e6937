/**
 * A per-isolate cache of values derived from one state of a wiki. Keys
 * include the wiki's head commit, which every request reads from the store
 * anyway, so an entry is never stale: a write anywhere (any process) moves
 * the head and old entries are simply no longer asked for.
 */
import { BoundedCache } from '../../lib/bounded-cache.ts';

const cache = new BoundedCache<unknown>({ maxEntries: 2000, maxSize: 16 * 1024 * 1024 });

/** The cached value for `key`, computing and remembering it on a miss. */
export async function cachedForHead<T>(key: string, compute: () => Promise<T>, sizeOf: (value: T) => number): Promise<T> {
  const hit = cache.get(key);
  if (hit !== undefined) return hit as T;
  const value = await compute();
  cache.set(key, value, sizeOf(value));
  return value;
}
