/** A binary heap: `pop` returns the item that `before` ranks first. */
export class PriorityQueue<T> {
  readonly #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;

  /** @param before - true when `a` must come out before `b` */
  constructor(before: (a: T, b: T) => boolean) {
    this.#before = before;
  }

  /** How many items are queued. */
  get size(): number {
    return this.#items.length;
  }

  /** The queued items, in no particular order. */
  values(): readonly T[] {
    return this.#items;
  }

  /** Adds an item. */
  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.#before(items[i] as T, items[up] as T)) break;
      [items[i], items[up]] = [items[up] as T, items[i] as T];
      i = up;
    }
  }

  /** The first item without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Removes and returns the first item. */
  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.#before(items[l] as T, items[best] as T)) best = l;
        if (r < items.length && this.#before(items[r] as T, items[best] as T)) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best] as T, items[i] as T];
        i = best;
      }
    }
    return top;
  }
}
