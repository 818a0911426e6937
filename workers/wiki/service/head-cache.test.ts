import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cachedForHead, shared, STALE_MS } from './head-cache.ts';

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

it('shares one computation among concurrent misses, and a failure with them, then computes afresh', async () => {
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const compute = async () => {
    calls++;
    await gate;
    return { n: calls };
  };
  const many = Array.from({ length: 5 }, () => cachedForHead('t:herd:head1:Page', compute, () => 10));
  release();
  const values = await Promise.all(many);
  assert.equal(calls, 1);
  assert.ok(values.every((v) => v === values[0]));
  let failures = 0;
  const failing = async () => {
    failures++;
    await Promise.resolve();
    throw new Error('store down');
  };
  const results = await Promise.allSettled([cachedForHead('t:fail', failing, () => 1), cachedForHead('t:fail', failing, () => 1)]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal(failures, 1);
  await assert.rejects(cachedForHead('t:fail', failing, () => 1));
  assert.equal(failures, 2, 'a failure is not remembered');
});

it('gives up on a computation that never ends (its request was cancelled) and computes afresh', async () => {
  const never = new Promise<number>(() => {});
  void shared('t:dead', () => never);
  const started = Date.now();
  let waited = -1;
  const value = await shared('t:dead', async (waiting) => ((waited = waiting()), 7));
  const took = Date.now() - started;
  assert.equal(value, 7);
  assert.equal(waited, 0, 'the waiter computes alone');
  assert.ok(took >= STALE_MS && took < STALE_MS + 500, `took ${took} ms`);
});

it('tells a computation how many wait for it', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let seen = -1;
  const first = shared('t:count', async (waiting) => {
    await gate;
    seen = waiting();
    return 1;
  });
  const others = [shared('t:count', async () => 2), shared('t:count', async () => 3)];
  await new Promise((r) => setTimeout(r, 5));
  release();
  assert.deepEqual(await Promise.all([first, ...others]), [1, 1, 1]);
  assert.equal(seen, 2);
});
