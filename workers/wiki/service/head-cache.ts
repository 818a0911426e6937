/**
 * A bounded per-isolate cache of values derived from one state of a wiki.
 * Keys include the wiki's head commit, which every request reads from the
 * store anyway, so an entry can never be stale: a write anywhere (any process)
 * moves the head and old entries simply stop being asked for. Losing the cache
 * (restart, another process) costs only recomputation.
 */
const MAX_ENTRIES = 2000;
const MAX_CHARS = 16 * 1024 * 1024;

const entries = new Map<string, { value: unknown; size: number }>();
let totalSize = 0;

function evictUntilFits(): void {
  for (const [key, entry] of entries) {
    if (entries.size <= MAX_ENTRIES && totalSize <= MAX_CHARS) return;
    entries.delete(key);
    totalSize -= entry.size;
  }
}

/** The cached value for `key`, computing and remembering it on a miss (least recently used evicted first). */
export async function cachedForHead<T>(key: string, compute: () => Promise<T>, sizeOf: (value: T) => number): Promise<T> {
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key); // move to the most recently used end
    entries.set(key, hit);
    return hit.value as T;
  }
  const value = await compute();
  const size = sizeOf(value);
  if (size <= MAX_CHARS / 8) {
    entries.set(key, { value, size });
    totalSize += size;
    evictUntilFits();
  }
  return value;
}
