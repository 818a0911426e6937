/**
 * A bounded per-isolate cache of store rows read on nearly every request (a
 * wiki's row and head, credential checks), kept for a short, fixed time.
 *
 * Staleness is bounded twice: entries expire after `ttlMs`, and whoever
 * changes the underlying rows in this isolate calls `forget`, which also
 * voids every fill that started before it, so a slow read can never put back
 * what a write just replaced.
 *
 * When an entry expires under load, the first request reloads it and the
 * others keep the old value for up to another `ttlMs` meanwhile, instead of
 * all reloading at once (measured: every expiry otherwise sent ~100
 * concurrent queries to sqld and put a 90 ms stall in the p99). So a value is
 * at most 2 × `ttlMs` old.
 */
import { BoundedCache } from './bounded-cache.ts';

export class ExpiringCache<V> {
  readonly #entries: BoundedCache<{ value: V; expires: number; reloading: boolean }>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Bumped by every forget: a fill that saw another value stores nothing. */
  #epoch = 0;

  constructor(options: { maxEntries: number; ttlMs: number; now?: () => number }) {
    this.#entries = new BoundedCache({ maxEntries: options.maxEntries, maxSize: options.maxEntries * 8 });
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The value for `key`, loading it on a miss or after expiry. What `keep`
   * refuses (e.g. "not found", which must be noticed at once once it changes)
   * is returned but not remembered.
   */
  async get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const hit = this.#entries.get(key);
    const now = this.#now();
    if (hit && (hit.expires > now || (hit.reloading && hit.expires + this.#ttlMs > now))) return hit.value;
    if (hit) hit.reloading = true;
    const epoch = this.#epoch;
    let value: V;
    try {
      value = await load();
    } catch (err) {
      if (hit) hit.reloading = false;
      throw err;
    }
    if (epoch === this.#epoch && keep(value)) this.#entries.set(key, { value, expires: this.#now() + this.#ttlMs, reloading: false }, 1);
    else if (hit) this.#entries.delete(key);
    return value;
  }

  /** The value for `key` if it is there and current, without loading anything. */
  peek(key: string): V | undefined {
    const hit = this.#entries.get(key);
    return hit && hit.expires > this.#now() ? hit.value : undefined;
  }

  /** Replaces the value for `key` with one known to be current (voiding fills under way, like `forget`). */
  set(key: string, value: V): void {
    this.#epoch++;
    this.#entries.set(key, { value, expires: this.#now() + this.#ttlMs, reloading: false }, 1);
  }

  /** Drops `key`, or everything when no key is given. */
  forget(key?: string): void {
    this.#epoch++;
    if (key === undefined) this.#entries.clear();
    else this.#entries.delete(key);
  }
}
