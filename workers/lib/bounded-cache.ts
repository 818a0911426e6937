/**
 * A least-recently-used map bounded by entry count and total size, for
 * per-isolate caches of values that can always be recomputed. Nothing that
 * correctness depends on may live only here.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, { value: V; size: number }>();
  readonly #maxEntries: number;
  readonly #maxSize: number;
  #size = 0;

  constructor(options: { maxEntries: number; maxSize: number }) {
    this.#maxEntries = options.maxEntries;
    this.#maxSize = options.maxSize;
  }

  get(key: string): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    this.#entries.delete(key); // most recently used goes last
    this.#entries.set(key, hit);
    return hit.value;
  }

  /** Remembers `value` unless it alone would take more than an eighth of the cache. */
  set(key: string, value: V, size: number): void {
    if (size > this.#maxSize / 8) return;
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#size -= old.size;
    }
    this.#entries.set(key, { value, size });
    this.#size += size;
    for (const [k, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#size <= this.#maxSize) break;
      this.#entries.delete(k);
      this.#size -= entry.size;
    }
  }

  delete(key: string): void {
    const old = this.#entries.get(key);
    if (!old) return;
    this.#entries.delete(key);
    this.#size -= old.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#size = 0;
  }
}
