import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RecycleDecision, sampleProcess, type ProcessSample } from './recycle.ts';

const MiB = 1024;
/** Samples one second apart from t=0: each with its RSS (MiB) and the CPU (ms) used in the second before it. */
function feed(decision: RecycleDecision, steps: { rss: number; cpu: number }[]): boolean[] {
  let cpuMs = 0;
  return steps.map((s, i) => {
    cpuMs += s.cpu;
    const sample: ProcessSample = { at: i * 1000, rssKiB: s.rss * MiB, cpuMs };
    return decision.observe(sample);
  });
}

it('recycles once a process over the limit has been idle for a whole window', () => {
  const d = new RecycleDecision({ rssMiB: 200, idleMs: 3000 });
  const busy = { rss: 300, cpu: 800 };
  const idle = { rss: 300, cpu: 10 };
  // Busy up to t=1, then idle: true from t=4, when the three seconds before it were idle.
  assert.deepEqual(feed(d, [busy, busy, idle, idle, idle, idle]), [false, false, false, false, true, true]);
});

it('never recycles under the limit, while busy, before a whole window, or with a limit of 0', () => {
  const quiet = { rss: 150, cpu: 0 };
  assert.deepEqual(feed(new RecycleDecision({ rssMiB: 200, idleMs: 2000 }), [quiet, quiet, quiet, quiet]), [false, false, false, false]);
  // 100 ms a second is 10% of a core: not idle.
  const trickle = { rss: 300, cpu: 100 };
  assert.deepEqual(feed(new RecycleDecision({ rssMiB: 200, idleMs: 2000 }), [trickle, trickle, trickle, trickle]), [false, false, false, false]);
  assert.deepEqual(feed(new RecycleDecision({ rssMiB: 200, idleMs: 5000 }), [{ rss: 300, cpu: 0 }, { rss: 300, cpu: 0 }]), [false, false]);
  assert.deepEqual(feed(new RecycleDecision({ rssMiB: 0, idleMs: 1000 }), [{ rss: 900, cpu: 0 }, { rss: 900, cpu: 0 }, { rss: 900, cpu: 0 }]), [false, false, false]);
});

it('judges a new process from scratch after reset', () => {
  const d = new RecycleDecision({ rssMiB: 200, idleMs: 1000 });
  assert.equal(d.observe({ at: 0, rssKiB: 300 * MiB, cpuMs: 50_000 }), false);
  d.reset();
  // The new process's CPU counter starts low: no negative or stale span from the old one.
  assert.equal(d.observe({ at: 500, rssKiB: 300 * MiB, cpuMs: 100 }), false);
  assert.equal(d.observe({ at: 1500, rssKiB: 300 * MiB, cpuMs: 110 }), true);
});

it('reads RSS and CPU time of a live process from /proc, and null for one that is gone', () => {
  const me = sampleProcess(process.pid);
  assert.ok(me && me.rssKiB > 10 * MiB && me.cpuMs > 0, JSON.stringify(me));
  assert.equal(sampleProcess(2 ** 22 + 1), null);
});
