import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ExpiringCache } from './expiring-cache.ts';

function clockedCache(maxEntries = 10) {
  const clock = { now: 1000 };
  return { clock, cache: new ExpiringCache<string | null>({ maxEntries, ttlMs: 500, now: () => clock.now }) };
}

it('serves a loaded value until it expires, then loads again', async () => {
  const { clock, cache } = clockedCache();
  let loads = 0;
  const load = async () => `v${++loads}`;
  assert.equal(await cache.get('k', load), 'v1');
  clock.now += 499;
  assert.equal(await cache.get('k', load), 'v1');
  clock.now += 1;
  assert.equal(await cache.get('k', load), 'v2');
});

it('does not remember what keep refuses', async () => {
  const { cache } = clockedCache();
  let loads = 0;
  const load = async () => (++loads, null);
  await cache.get('missing', load, (v) => v !== null);
  await cache.get('missing', load, (v) => v !== null);
  assert.equal(loads, 2);
});

it('forgets one key or all, and a fill that began before a forget stores nothing', async () => {
  const { cache } = clockedCache();
  await cache.get('a', async () => 'old-a');
  await cache.get('b', async () => 'old-b');
  cache.forget('a');
  assert.equal(await cache.get('a', async () => 'new-a'), 'new-a');
  assert.equal(await cache.get('b', async () => 'unused'), 'old-b');

  // A read that started before a write finishes after it: its (old) value must not stick.
  let release!: () => void;
  const slow = cache.get('c', () => new Promise<string>((r) => (release = () => r('before-write'))));
  cache.forget('c');
  release();
  assert.equal(await slow, 'before-write');
  assert.equal(await cache.get('c', async () => 'after-write'), 'after-write');

  cache.forget();
  assert.equal(await cache.get('b', async () => 'reloaded'), 'reloaded');
});

it('stays bounded, evicting the least recently used', async () => {
  const { cache } = clockedCache(3);
  for (const k of ['a', 'b', 'c']) await cache.get(k, async () => k);
  await cache.get('a', async () => 'unused'); // a is now the most recent
  await cache.get('d', async () => 'd');
  assert.equal(await cache.get('b', async () => 'reloaded'), 'reloaded', 'b was the oldest');
  assert.equal(await cache.get('a', async () => 'unused'), 'a');
});

it('while one request reloads an expired entry, others get the old value, for at most another ttl', async () => {
  const { clock, cache } = clockedCache();
  await cache.get('k', async () => 'old');
  clock.now += 600; // expired
  let release!: (v: string) => void;
  const reloading = cache.get('k', () => new Promise<string>((r) => (release = r)));
  let loads = 0;
  assert.equal(await cache.get('k', async () => (++loads, 'other')), 'old', 'no second reload meanwhile');
  assert.equal(loads, 0);
  clock.now += 500; // 2 × ttl after it was loaded: too old even while reloading
  assert.equal(await cache.get('k', async () => (++loads, 'fresh')), 'fresh');
  release('reloaded');
  assert.equal(await reloading, 'reloaded');
});

it('lets the next request reload when a reload fails', async () => {
  const { clock, cache } = clockedCache();
  await cache.get('k', async () => 'old');
  clock.now += 600;
  await assert.rejects(cache.get('k', async () => Promise.reject(new Error('sqld down'))));
  assert.equal(await cache.get('k', async () => 'new'), 'new');
});
