import assert from 'node:assert/strict';
import { it } from 'node:test';
import net from 'node:net';
import { MIN_GAIN_MIB, openConnections, RecycleDecision, sampleProcess, type ProcessSample } from './recycle.ts';

const MiB = 1024;
/** Samples one second apart from t=0: each with its RSS (MiB), the CPU (ms) used in the second before it, and open connections. */
function feed(decision: RecycleDecision, steps: { rss: number; cpu: number; connections?: number }[]): boolean[] {
  let cpuMs = 0;
  return steps.map((s, i) => {
    cpuMs += s.cpu;
    const sample: ProcessSample = { at: i * 1000, rssKiB: s.rss * MiB, cpuMs, connections: s.connections ?? 0 };
    return decision.observe(sample);
  });
}
/** How a fresh workerd starts: well under any limit. */
const fresh = { rss: 100, cpu: 0 };

it('recycles once a process over the limit has been idle for a whole window', () => {
  const d = new RecycleDecision({ rssMiB: 200, idleMs: 3000 });
  const busy = { rss: 300, cpu: 800 };
  const idle = { rss: 300, cpu: 10 };
  // Busy up to t=2, then idle: true from t=5, when the three seconds before it were idle.
  assert.deepEqual(feed(d, [fresh, busy, busy, idle, idle, idle, idle]), [false, false, false, false, false, true, true]);
});

it('never recycles under the limit, while busy, before a whole window, or with a limit of 0', () => {
  const quiet = { rss: 150, cpu: 0 };
  assert.deepEqual(feed(new RecycleDecision({ rssMiB: 200, idleMs: 2000 }), [quiet, quiet, quiet, quiet]), [false, false, false, false]);
  // 100 ms a second is 10% of a core: not idle.
  const trickle = { rss: 300, cpu: 100 };
  assert.deepEqual(feed(new RecycleDecision({ rssMiB: 200, idleMs: 2000 }), [fresh, trickle, trickle, trickle, trickle]), [false, false, false, false, false]);
  assert.deepEqual(feed(new RecycleDecision({ rssMiB: 200, idleMs: 5000 }), [fresh, { rss: 300, cpu: 0 }, { rss: 300, cpu: 0 }]), [false, false, false]);
  assert.deepEqual(feed(new RecycleDecision({ rssMiB: 0, idleMs: 1000 }), [fresh, { rss: 900, cpu: 0 }, { rss: 900, cpu: 0 }, { rss: 900, cpu: 0 }]), [false, false, false, false]);
});

it('waits while a connection is open, however little CPU it uses (a slow clone), and recycles once it closes', () => {
  const d = new RecycleDecision({ rssMiB: 200, idleMs: 2000 });
  const slow = { rss: 300, cpu: 5, connections: 1 };
  const closed = { rss: 300, cpu: 5 };
  assert.deepEqual(feed(d, [fresh, slow, slow, slow, slow, closed]), [false, false, false, false, false, true]);
});

it('never replaces a process that cannot give back MIN_GAIN_MIB: a limit under a fresh workerd does not loop', () => {
  const d = new RecycleDecision({ rssMiB: 100, idleMs: 1000 });
  const gain = (mib: number) => ({ rss: 130 + mib, cpu: 0 });
  assert.deepEqual(feed(d, [gain(0), gain(MIN_GAIN_MIB / 2), gain(MIN_GAIN_MIB - 1), gain(MIN_GAIN_MIB)]), [false, false, false, true]);
  const none = new RecycleDecision({ rssMiB: 100, idleMs: 1000, minGainMiB: 0 });
  assert.deepEqual(feed(none, [{ rss: 130, cpu: 0 }, { rss: 130, cpu: 0 }]), [false, true]);
});

it('counts connections open to a port from /proc/net/tcp', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    assert.equal(openConnections([port]), 0, 'listening is not a connection');
    const client = net.connect(port, '127.0.0.1');
    await new Promise((r) => server.once('connection', r));
    assert.equal(openConnections([port]), 1);
    client.destroy();
  } finally {
    server.close();
  }
});

it('judges a new process from scratch after reset', () => {
  const d = new RecycleDecision({ rssMiB: 200, idleMs: 1000 });
  assert.equal(d.observe({ at: 0, rssKiB: 100 * MiB, cpuMs: 50_000 }), false);
  d.reset();
  // The new process's CPU counter starts low: no negative or stale span from the old one, and its own first RSS.
  assert.equal(d.observe({ at: 500, rssKiB: 250 * MiB, cpuMs: 100 }), false);
  assert.equal(d.observe({ at: 1500, rssKiB: 300 * MiB, cpuMs: 110 }), true);
});

it('reads RSS and CPU time of a live process from /proc, and null for one that is gone', () => {
  const me = sampleProcess(process.pid);
  assert.ok(me && me.rssKiB > 10 * MiB && me.cpuMs > 0, JSON.stringify(me));
  assert.equal(sampleProcess(2 ** 22 + 1), null);
});
