import assert from 'node:assert/strict';
import { it } from 'node:test';
import { collectGarbageSoon } from './gc.ts';

it('asks for a collection after the answer, at most once a second, once more after a burst, and nothing without gc()', async () => {
  const g = globalThis as { gc?: () => void };
  const saved = g.gc;
  let collections = 0;
  const work: Promise<unknown>[] = [];
  try {
    g.gc = undefined;
    collectGarbageSoon((w) => work.push(w));
    assert.equal(work.length, 0, 'no gc(): nothing scheduled');
    g.gc = () => void collections++;
    collectGarbageSoon((w) => work.push(w));
    assert.equal(collections, 0, 'not while the request is being answered');
    await Promise.all(work);
    assert.equal(collections, 1);
    const started = Date.now();
    collectGarbageSoon((w) => work.push(w));
    collectGarbageSoon((w) => work.push(w));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(collections, 1, 'not again within the interval');
    await Promise.all(work);
    assert.equal(collections, 2, 'one trailing collection for the rest of the burst');
    assert.ok(Date.now() - started >= 900, 'a second after the first');
  } finally {
    g.gc = saved;
  }
});
