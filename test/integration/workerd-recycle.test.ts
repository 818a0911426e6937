/**
 * Giving memory back: a workerd over its memory limit that has gone idle is
 * replaced by a successor on the same sockets, and nobody notices: requests
 * arriving meanwhile are all answered, pages are as they were, and a
 * replaced workerd is not mistaken for a crash.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { processAlive } from '../../bin/lib/child.ts';
import { requestWithHost } from '../helpers/http.ts';
import { seedWiki, startTestStack, type TestStack } from '../helpers/stack.ts';

const IDLE_MS = 1500;
let t: TestStack;
before(async () => {
  // A limit every workerd is over: it is replaced each time it has been idle for IDLE_MS.
  t = await startTestStack({ settings: { recycle: { rssMiB: 1, idleMs: IDLE_MS, minGainMiB: 0 } } });
  await seedWiki(t.stack, 'demo');
});
after(() => t.stop());

async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('replaces an idle workerd over its limit on the same ports, answering every request meanwhile', async () => {
  const home = await t.fetch(t.url('/', 'demo'));
  assert.equal(home.status, 200);
  const page = await home.text();
  const first = t.stack.children().workerd;

  // A trickle of requests, each on a new connection (a reused one would hide a refused connect).
  // At about 6 ms of CPU each it stays under the idle threshold, so the workerd serving it counts as idle.
  const statuses: (number | string)[] = [];
  let running = true;
  const trickle = (async () => {
    while (running) {
      statuses.push(await requestWithHost(t.stack.port, 'demo.wiki.localhost', '/', { headers: { connection: 'close' } }).then((r) => r.status, (e: Error) => e.message));
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  try {
    await until('workerd to be replaced', () => t.stack.children().workerd !== first);
    await first.exited;
    const second = t.stack.children().workerd;
    // The next replacement too: the successor is watched like the first.
    await until('the successor to be replaced', () => t.stack.children().workerd !== second);
  } finally {
    running = false;
    await trickle;
  }

  assert.ok(statuses.length > 10, `${statuses.length} requests`);
  assert.deepEqual([...new Set(statuses)], [200], 'every request answered 200');
  assert.equal(processAlive(first.pid!), false, 'the replaced workerd exited');
  assert.ok(t.logs.some((l) => /\[up\] workerd recycled: it held \d+ MiB after 1.5 s idle/.test(l)), t.logs.join('\n'));
  assert.equal(t.logs.some((l) => /exited unexpectedly/.test(l)), false, 'a replaced workerd is not a crash');

  const again = await t.fetch(t.url('/', 'demo'));
  assert.equal(again.status, 200);
  assert.equal(await again.text(), page);
});

it('does not replace a workerd while a connection to it is open, however quiet (a slow clone)', async () => {
  const socket = net.connect(t.stack.port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  await new Promise((r) => setTimeout(r, 500)); // a replacement under way when it connected has finished
  const serving = t.stack.children().workerd;
  await new Promise((r) => setTimeout(r, 3 * IDLE_MS));
  assert.equal(t.stack.children().workerd, serving, 'kept while the connection is open');
  socket.destroy();
  await until('the replacement once it closed', () => t.stack.children().workerd !== serving);
});

it('runs the workers it started with, and keeps the running workerd when a successor cannot start', async () => {
  const pinned = path.join(t.dataDir, 'run', 'workerd');
  const current = t.stack.children().workerd;
  assert.match(fs.readFileSync(`/proc/${current.pid}/cmdline`, 'utf8'), new RegExp(`${pinned}/config\\.capnp`));
  // A successor that dies at start (its wiki worker cut in half): its own probe never answers, whatever the running one says.
  const bundle = path.join(pinned, 'dist', 'wiki.js');
  const good = fs.readFileSync(bundle);
  fs.writeFileSync(bundle, good.subarray(0, good.length >> 1));
  try {
    const logged = t.logs.length;
    await until('a failed replacement', () => t.logs.slice(logged).some((l) => /recycling workerd failed, keeping the running one/.test(l)));
    const kept = t.stack.children().workerd;
    assert.ok(kept.alive);
    assert.equal((await t.fetch(t.url('/', 'demo'))).status, 200);
  } finally {
    fs.writeFileSync(bundle, good);
  }
});

it('still restarts a workerd that crashes, on the same ports', async () => {
  const current = t.stack.children().workerd;
  current.process.kill('SIGKILL');
  await until('a crash restart', () => t.logs.some((l) => /\[up\] workerd exited unexpectedly \(SIGKILL\)/.test(l)));
  await until('workerd to be back', () => t.logs.some((l) => /\[up\] workerd is back/.test(l)));
  assert.equal((await t.fetch(t.url('/', 'demo'))).status, 200);
});
