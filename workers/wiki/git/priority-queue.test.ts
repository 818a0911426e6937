import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PriorityQueue } from './priority-queue.ts';

describe('PriorityQueue', () => {
  it('pops in priority order', () => {
    const q = new PriorityQueue<number>((a, b) => a < b);
    const input = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1009);
    for (const n of input) q.push(n);
    assert.equal(q.size, 500);
    assert.equal(q.peek(), Math.min(...input));
    const out: number[] = [];
    for (let n = q.pop(); n !== undefined; n = q.pop()) out.push(n);
    assert.deepEqual(out, [...input].sort((a, b) => a - b));
    assert.equal(q.pop(), undefined);
    assert.equal(q.size, 0);
  });

  it('breaks ties with the comparison it is given', () => {
    const q = new PriorityQueue<{ t: number; seq: number }>((a, b) => a.t > b.t || (a.t === b.t && a.seq < b.seq));
    [{ t: 1, seq: 0 }, { t: 2, seq: 1 }, { t: 1, seq: 2 }, { t: 2, seq: 3 }].forEach((x) => q.push(x));
    assert.deepEqual([q.pop(), q.pop(), q.pop(), q.pop()].map((x) => x?.seq), [1, 3, 0, 2]);
  });
});
