/** sqld dying while workerd runs: clear 503s while it is down, service again once it is back. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { seedWiki, startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
before(async () => {
  t = await startTestStack();
  await seedWiki(t.stack, 'demo');
});
after(() => t.stop());

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('answers 503 while sqld is down and recovers by itself when the supervisor restarts it', async () => {
  const sqld = t.stack.children().sqld;
  assert.equal((await t.fetch(t.url('/', 'demo'))).status, 200);
  sqld.process.kill('SIGKILL');
  await sqld.exited;

  // A page that needs the store, while it is down.
  const down = await t.fetch(t.url('/', 'demo'), { headers: { accept: 'application/json' } });
  assert.equal(down.status, 503);
  assert.equal(down.headers.get('retry-after'), '5');
  const body = (await down.json()) as { error: string; message: string };
  assert.equal(body.error, 'unavailable');
  assert.match(body.message, /database is unavailable/);

  const health = await t.fetch(t.url('/healthz'));
  assert.equal(health.status, 503);
  const report = (await health.json()) as { workers: Record<string, { checks: Record<string, { ok: boolean }> }> };
  assert.equal(report.workers.platform!.checks.sqld!.ok, false);
  assert.equal(report.workers.wiki!.checks.disk!.ok, true, 'the disk is fine; only the store is down');

  const started = Date.now();
  await until('recovery', async () => ((await t.fetch(t.url('/', 'demo'))).status === 200 ? true : undefined));
  assert.ok(Date.now() - started < 10_000);
  assert.equal((await t.fetch(t.url('/healthz'))).status, 200);
  await until('the supervisor to record the new sqld', async () => (t.logs.some((l) => /sqld is back/.test(l)) ? true : undefined));
  assert.notEqual(t.stack.children().sqld.pid, sqld.pid, 'a new sqld');
  assert.ok(t.logs.some((l) => /sqld exited unexpectedly/.test(l)));
});
