/** The real stack (sqld + workerd): every worker answers through the gateway, on the right hosts. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requestWithHost } from '../helpers/http.ts';
import { seedWiki, startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;

before(async () => {
  t = await startTestStack();
  await seedWiki(t.stack, 'demo');
});
after(() => t.stop());

describe('health', () => {
  for (const worker of ['gateway', 'auth', 'oauth', 'wiki', 'mcp', 'platform']) {
    it(`${worker} answers /healthz/${worker} on the apex`, async () => {
      const res = await t.fetch(t.url(`/healthz/${worker}`));
      const body = (await res.json()) as { worker: string; ok: boolean; checks: Record<string, { ok: boolean }> };
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.equal(body.worker, worker);
      assert.equal(body.ok, true);
      for (const [name, check] of Object.entries(body.checks)) assert.equal(check.ok, true, name);
    });
  }
  it('reports every worker, the store, the disk and the RPC bindings at /healthz', async () => {
    const res = await t.fetch(t.url('/healthz'));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { ok: boolean; workers: Record<string, { checks: Record<string, unknown> }> };
    assert.equal(body.ok, true);
    assert.deepEqual(Object.keys(body.workers).sort(), ['auth', 'mcp', 'oauth', 'platform', 'wiki']);
    assert.ok(body.workers.wiki!.checks.disk && body.workers.wiki!.checks.sqld);
    assert.ok(body.workers.mcp!.checks['wiki-rpc'] && body.workers.mcp!.checks['oauth-rpc']);
  });
  it('on a wiki host, /healthz is a page path like any other, and workers\' own health paths are unreachable', async () => {
    const page = await t.fetch(t.url('/healthz', 'demo'), { headers: { accept: 'application/json' } });
    assert.equal(page.headers.get('x-served-by'), 'wiki');
    assert.doesNotMatch(await page.text(), /"checks"/);
    for (const url of [t.url('/__health', 'demo'), t.url('/__health')]) {
      const res = await t.fetch(url);
      assert.equal(res.status, 404, url);
      assert.equal(res.headers.get('x-served-by'), null, 'the gateway answered, no worker saw it');
    }
  });
  it('gives error details only on the internal socket', async () => {
    const internal = await t.fetch(`${t.stack.internalUrl}/healthz/wiki`);
    assert.equal(internal.status, 200);
    assert.equal(((await internal.json()) as { worker: string }).worker, 'wiki');
    const publicHost = await t.fetch(`${t.stack.internalUrl}/`);
    assert.equal(publicHost.status, 404, 'the internal socket serves nothing else');
  });
});

describe('routing by host and path', () => {
  const cases: [string, string | undefined, string][] = [
    ['/', undefined, 'platform'],
    ['/app/anything', undefined, 'platform'],
    ['/auth/login', undefined, 'auth'],
    ['/', 'demo', 'wiki'],
    ['/Some/Page', 'demo', 'wiki'],
    ['/api/v1/pages', 'demo', 'wiki'],
    ['/.git/info/refs', 'demo', 'wiki'],
    ['/mcp', 'demo', 'mcp'],
    ['/.well-known/oauth-authorization-server', 'demo', 'oauth'],
    ['/.well-known/oauth-protected-resource/mcp', 'demo', 'oauth'],
    ['/token', 'demo', 'oauth'],
  ];
  for (const [path, slug, worker] of cases) {
    it(`${slug ?? 'apex'} ${path} → ${worker}`, async () => {
      const res = await t.fetch(t.url(path, slug));
      await res.arrayBuffer();
      assert.equal(res.headers.get('x-served-by'), worker);
    });
  }

  it('serves the landing page on the apex', async () => {
    const res = await t.fetch(t.url('/'), { headers: { accept: 'text/html' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /Wikis for people and their AI agents/);
  });

  it('publishes the ATProto client JWKS without private parts', async () => {
    const res = await t.fetch(t.url('/.well-known/jwks.json'));
    assert.equal(res.status, 200);
    const { keys } = (await res.json()) as { keys: Record<string, string>[] };
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.alg, 'ES256');
    assert.ok(keys[0]!.kid);
    assert.equal(keys[0]!.d, undefined);
  });

  it('knows which wikis exist', async () => {
    assert.equal((await t.fetch(t.url('/', 'demo'))).status, 200);
    const missing = await t.fetch(t.url('/', 'nosuchwiki'));
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { message: string }).message, /no wiki named "nosuchwiki"/);
  });

  it('serves 200 concurrent store-backed requests, none hung or failed', async () => {
    // Regression: a libSQL client shared across requests hangs workerd requests under concurrency.
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const res = await t.fetch(t.url('/', 'demo'));
        await res.arrayBuffer();
        return res.status;
      }),
    );
    assert.deepEqual([...new Set(statuses)], [200], t.logs.filter((l) => /error|Error/.test(l)).slice(0, 12).join('\n'));
  });

  it('answers unknown and too-deep hosts with 404 from the gateway', async () => {
    for (const host of ['elsewhere.example', 'a.demo.wiki.localhost', 'localhost']) {
      // fetch would send the URL's host instead: this request carries exactly this Host.
      const res = await requestWithHost(t.stack.port, host, '/');
      assert.equal(res.status, 404, host);
      assert.equal(res.headers['x-served-by'], undefined, host);
    }
    assert.equal((await requestWithHost(t.stack.port, `demo.wiki.localhost:${t.stack.port}`, '/')).status, 200, 'a wiki host is served');
  });
});

describe('every response', () => {
  it('carries security headers and a fresh request id', async () => {
    const res = await t.fetch(t.url('/'), { headers: { 'x-request-id': 'forged' } });
    await res.arrayBuffer();
    const h = res.headers;
    assert.match(h.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(h.get('x-content-type-options'), 'nosniff');
    assert.equal(h.get('x-frame-options'), 'DENY');
    assert.ok(h.get('referrer-policy'));
    assert.equal(h.get('strict-transport-security'), null, 'no HSTS over plain http');
  });
  it('is HSTS when the request came in over https (X-Forwarded-Proto)', async () => {
    const res = await t.fetch(t.url('/'), { headers: { 'x-forwarded-proto': 'https' } });
    await res.arrayBuffer();
    assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=/);
  });
  it('errors in JSON or HTML, as asked', async () => {
    const json = await t.fetch(t.url('/', 'nosuchwiki'), { headers: { accept: 'application/json' } });
    assert.match(json.headers.get('content-type') ?? '', /json/);
    const html = await t.fetch(t.url('/', 'nosuchwiki'), { headers: { accept: 'text/html' } });
    assert.match(html.headers.get('content-type') ?? '', /html/);
    assert.match(await html.text(), /no wiki named (&#34;|&quot;)nosuchwiki(&#34;|&quot;)/);
  });
});

describe('body limits', () => {
  it('refuses a declared body over the limit with 413', async () => {
    const res = await t.fetch(t.url('/api/wikis'), { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 97) });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: string }).error, 'too_large');
  });
  it('refuses a streamed (chunked) body once it passes the limit', async () => {
    const chunk = new Uint8Array(256 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= 5) return c.close(); // 1.25 MiB, no Content-Length
        sent++;
        c.enqueue(chunk);
      },
    });
    const res = await t.fetch(t.url('/auth/login'), { method: 'POST', body, duplex: 'half' });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: string }).error, 'too_large');
  });
});

describe("Caddy's on-demand TLS question", () => {
  const ask = (domain: string) => t.fetch(`${t.stack.internalUrl}/internal/tls-ask?domain=${encodeURIComponent(domain)}`);
  it('says yes for the apex and existing wikis, no for anything else', async () => {
    assert.equal((await ask('wiki.localhost')).status, 200);
    assert.equal((await ask('demo.wiki.localhost')).status, 200);
    assert.equal((await ask('nosuch.wiki.localhost')).status, 404);
    assert.equal((await ask('a.demo.wiki.localhost')).status, 404);
    assert.equal((await ask('evil.example')).status, 404);
  });
  it('is not reachable on the public socket, whatever the Host says', async () => {
    for (const host of ['wiki.localhost', 'demo.wiki.localhost', '127.0.0.1', 'localhost']) {
      const res = await requestWithHost(t.stack.port, host, '/internal/tls-ask?domain=demo.wiki.localhost');
      assert.equal(res.status, 404, host);
      assert.equal(res.headers['x-served-by'], undefined, host);
    }
  });
});
