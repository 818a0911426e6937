import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cachedForHead } from './head-cache.ts';

it('computes once per key and serves the same value after', async () => {
  let calls = 0;
  const compute = async () => ({ n: ++calls });
  const a = await cachedForHead('t:wk1:head1:Page', compute, () => 10);
  const b = await cachedForHead('t:wk1:head1:Page', compute, () => 10);
  assert.equal(a, b);
  assert.equal(calls, 1);
  const c = await cachedForHead('t:wk1:head2:Page', compute, () => 10);
  assert.notEqual(c, a, 'a new head is a new key');
  assert.equal(calls, 2);
});

it('does not keep values too large to be worth it, and stays bounded', async () => {
  let calls = 0;
  const big = async () => ++calls;
  await cachedForHead('t:big', big, () => 64 * 1024 * 1024);
  await cachedForHead('t:big', big, () => 64 * 1024 * 1024);
  assert.equal(calls, 2, 'not cached');
  for (let i = 0; i < 5000; i++) await cachedForHead(`t:many:${i}`, async () => i, () => 1);
  let recomputed = false;
  await cachedForHead('t:many:0', async () => ((recomputed = true), 0), () => 1);
  assert.ok(recomputed, 'the oldest entries were evicted');
});
