/** The OpenAI-compatible provider against the suite's deterministic embedding server (real HTTP). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashEmbedding, startEmbeddingServer, type EmbeddingServer } from '../../../test/helpers/embedding-server.ts';
import { embeddingsEndpoint, openAiCompatible, ProviderError } from './embeddings.ts';

let server: EmbeddingServer;
before(async () => void (server = await startEmbeddingServer()));
after(() => server.stop());

const noSleep = () => Promise.resolve();

describe('openAiCompatible', () => {
  it('finds the endpoint from a base URL or the endpoint itself', () => {
    assert.equal(embeddingsEndpoint('http://h:11434/v1'), 'http://h:11434/v1/embeddings');
    assert.equal(embeddingsEndpoint('http://h:11434/v1/'), 'http://h:11434/v1/embeddings');
    assert.equal(embeddingsEndpoint('https://api.example/v1/embeddings'), 'https://api.example/v1/embeddings');
  });

  it('embeds in batches, in order, and learns the dimension', async () => {
    const p = openAiCompatible({ url: server.url, model: 'hash-32', fetch: (r) => fetch(r), batchSize: 64 });
    const texts = Array.from({ length: 150 }, (_, i) => `text number ${i}`);
    const before = server.requests;
    const r = await p.embed(texts);
    assert.equal(server.requests - before, 3);
    assert.equal(r.vectors.length, 150);
    assert.deepEqual(Array.from(r.vectors[149]!), Array.from(Float32Array.from(hashEmbedding('text number 149', 32))));
    assert.equal(await p.dimensions(), 32);
    assert.ok(r.ms > 0);
  });

  it('asks a fresh provider for its dimension with one probe, remembered afterwards', async () => {
    const p = openAiCompatible({ url: server.url, model: 'hash-48', fetch: (r) => fetch(r) });
    const before = server.requests;
    assert.equal(await p.dimensions(), 48);
    assert.equal(await p.dimensions(), 48);
    assert.equal(server.requests - before, 1);
    const configured = openAiCompatible({ url: server.url, model: 'hash-48', dimensions: 48, fetch: (r) => fetch(r) });
    assert.equal(await configured.dimensions(), 48);
    assert.equal(server.requests - before, 1);
  });

  it('sends the API key as a bearer token', async () => {
    let auth: string | null = null;
    const p = openAiCompatible({ url: server.url, model: 'hash-8', apiKey: 'sk-test', fetch: (r) => ((auth = r.headers.get('authorization')), fetch(r)) });
    await p.embed(['x']);
    assert.equal(auth, 'Bearer sk-test');
  });

  it('retries an unavailable provider with backoff, honouring Retry-After', async () => {
    const waits: number[] = [];
    let calls = 0;
    const flaky = async (r: Request) => {
      calls++;
      if (calls === 1) return new Response('busy', { status: 429, headers: { 'retry-after': '2' } });
      if (calls === 2) throw new TypeError('fetch failed');
      return fetch(r);
    };
    const p = openAiCompatible({ url: server.url, model: 'hash-8', fetch: flaky, retries: 2, backoffMs: 100, sleep: async (ms) => void waits.push(ms) });
    const r = await p.embed(['hello']);
    assert.equal(r.vectors.length, 1);
    assert.equal(calls, 3);
    assert.equal(waits[0], 2000);
    assert.ok(waits[1]! >= 150 && waits[1]! <= 250, String(waits[1]));
  });

  it('gives up after its retries with a retryable error; a down server is retryable', async () => {
    server.down = true;
    try {
      const p = openAiCompatible({ url: server.url, model: 'hash-8', fetch: (r) => fetch(r), retries: 1, sleep: noSleep });
      const before = server.requests;
      await assert.rejects(p.embed(['x']), (e: unknown) => e instanceof ProviderError && e.retryable && e.status === 503);
      assert.equal(server.requests, before); // 503s are not counted as answered
    } finally {
      server.down = false;
    }
    const gone = openAiCompatible({ url: 'http://127.0.0.1:9/v1', model: 'm', fetch: (r) => fetch(r), retries: 0 });
    await assert.rejects(gone.embed(['x']), (e: unknown) => e instanceof ProviderError && e.retryable && /could not be reached/.test(e.message));
  });

  it('times out a slow provider', async () => {
    server.delayMs = 300;
    try {
      const p = openAiCompatible({ url: server.url, model: 'hash-8', fetch: (r) => fetch(r), timeoutMs: 50, retries: 0 });
      await assert.rejects(p.embed(['x']), (e: unknown) => e instanceof ProviderError && e.retryable && /within 50 ms/.test(e.message));
    } finally {
      server.delayMs = 0;
    }
  });

  it('does not retry a refusal, and checks what comes back', async () => {
    let calls = 0;
    const refusing = async () => (calls++, new Response('{"error":{"message":"input too long"}}', { status: 400 }));
    const p = openAiCompatible({ url: server.url, model: 'm', fetch: refusing, retries: 3, sleep: noSleep });
    await assert.rejects(p.embed(['x']), (e: unknown) => e instanceof ProviderError && !e.retryable && e.status === 400 && /input too long/.test(e.message));
    assert.equal(calls, 1);
    const short = openAiCompatible({ url: server.url, model: 'm', fetch: async () => Response.json({ data: [{ embedding: [1, 2] }] }) });
    await assert.rejects(short.embed(['a', 'b']), /1 embeddings for 2 texts/);
    const ragged = openAiCompatible({ url: server.url, model: 'm', fetch: async () => Response.json({ data: [{ embedding: [1, 2] }, { embedding: [1] }] }) });
    await assert.rejects(ragged.embed(['a', 'b']), /1 dimensions, expected 2/);
    const wrongDim = openAiCompatible({ url: server.url, model: 'hash-8', dimensions: 16, fetch: (r) => fetch(r) });
    assert.equal((await wrongDim.embed(['a'])).vectors[0]!.length, 16); // the server honours `dimensions`
  });
});
