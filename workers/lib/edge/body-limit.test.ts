import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AppError } from '../errors.ts';
import { limitBody } from './body-limit.ts';

function chunked(sizes: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const n of sizes) c.enqueue(new Uint8Array(n));
      c.close();
    },
  });
}

it('refuses a declared length over the limit before reading', async () => {
  const req = new Request('http://x/', { method: 'POST', body: 'x'.repeat(11), headers: { 'content-length': '11' } });
  await assert.rejects(limitBody(req, 10), (e: unknown) => e instanceof AppError && e.status === 413);
});

it('refuses a malformed Content-Length', async () => {
  for (const bad of ['lots', '-1', '1e3', '0x10']) {
    const req = new Request('http://x/', { method: 'POST', body: 'abc', headers: { 'content-length': bad } });
    await assert.rejects(limitBody(req, 10), (e: unknown) => e instanceof AppError && e.status === 400, bad);
  }
});

it('passes a body within the limit through unchanged', async () => {
  const req = new Request('http://x/', { method: 'POST', body: chunked([4, 4]), duplex: 'half' } as RequestInit);
  const { body } = await limitBody(req, 8);
  assert.equal((await new Response(body).arrayBuffer()).byteLength, 8);
});

it('reads an undeclared small body whole and refuses it past the limit', async () => {
  const req = new Request('http://x/', { method: 'POST', body: chunked([6, 6]), duplex: 'half' } as RequestInit);
  await assert.rejects(limitBody(req, 10), (e: unknown) => e instanceof AppError && e.status === 413);
});

it('streams an undeclared large body and cuts it off once it passes the limit', async () => {
  const MiB = 1024 * 1024;
  const ok = await limitBody(new Request('http://x/', { method: 'POST', body: chunked([MiB, MiB]), duplex: 'half' } as RequestInit), 2 * MiB);
  assert.ok(ok.body instanceof ReadableStream);
  assert.equal((await new Response(ok.body).arrayBuffer()).byteLength, 2 * MiB);
  assert.equal(ok.exceeded(), false);
  const over = await limitBody(new Request('http://x/', { method: 'POST', body: chunked([MiB, MiB, 1]), duplex: 'half' } as RequestInit), 2 * MiB);
  await assert.rejects(new Response(over.body).arrayBuffer(), (e: unknown) => e instanceof AppError && e.status === 413);
  assert.equal(over.exceeded(), true, 'the gateway learns to answer 413');
});

it('has nothing to limit without a body', async () => {
  assert.equal((await limitBody(new Request('http://x/'), 10)).body, null);
});
