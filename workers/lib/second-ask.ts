/**
 * Cache admission on the second ask: a value is worth keeping only once its
 * key has been asked for twice lately. Keys asked for once (a fresh query
 * string every time) would otherwise push out the entries that are asked
 * for again, and each would cost a copy and memory for nothing.
 */
import { BoundedCache } from './bounded-cache.ts';

export class SecondAsk {
  readonly #askedOnce: BoundedCache<true>;

  /** @param remembered - how many keys asked for once are remembered */
  constructor(remembered: number) {
    this.#askedOnce = new BoundedCache<true>({ maxEntries: remembered, maxSize: remembered * 8 });
  }

  /** Notes an ask for `key` (one whose value is not cached); true when the value should now be kept. */
  admit(key: string): boolean {
    if (this.#askedOnce.get(key)) {
      this.#askedOnce.delete(key);
      return true;
    }
    this.#askedOnce.set(key, true, 1);
    return false;
  }
}
