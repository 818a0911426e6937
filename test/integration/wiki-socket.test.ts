/**
 * The wiki worker's own socket (where Caddy sends wiki hosts): the same
 * routing, limits, request ids and security headers as the gateway's, for
 * wiki hosts only, and nothing internal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RequestInit } from 'undici';
import { requestWithHost } from '../helpers/http.ts';
import { seedWiki, startTestStack, TEST_APEX, type TestStack } from '../helpers/stack.ts';

let t: TestStack;

before(async () => {
  t = await startTestStack();
  await seedWiki(t.stack, 'demo');
});
after(() => t.stop());

/** `path` on the wiki socket for a wiki host, as Caddy forwards it (the client's Host untouched). */
function onWikiSocket(path: string, init: RequestInit = {}, slug = 'demo'): Promise<Response> {
  return t.fetch(`http://${slug}.${TEST_APEX}:${t.stack.wikiPort}${path}`, init);
}

describe('the wiki socket', () => {
  it('serves a wiki host the way the gateway does', async () => {
    const [direct, viaGateway] = await Promise.all([onWikiSocket('/'), t.fetch(t.url('/', 'demo'))]);
    assert.equal(direct.status, 200);
    assert.equal(direct.headers.get('x-served-by'), 'wiki');
    // The same page; only its sign-in link names the port the request came to.
    assert.equal((await direct.text()).replaceAll(`%3A${t.stack.wikiPort}`, `%3A${t.stack.port}`), await viaGateway.text());
    for (const name of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy']) {
      assert.equal(direct.headers.get(name), viaGateway.headers.get(name), name);
    }
  });

  it('routes MCP and OAuth paths of the wiki host to their workers', async () => {
    const cases: [string, string][] = [
      ['/mcp', 'mcp'],
      ['/.well-known/oauth-authorization-server', 'oauth'],
      ['/.well-known/oauth-protected-resource/mcp', 'oauth'],
      ['/token', 'oauth'],
      ['/api/v1/pages', 'wiki'],
      ['/.git/info/refs?service=git-upload-pack', 'wiki'],
    ];
    for (const [path, worker] of cases) {
      const res = await onWikiSocket(path);
      await res.arrayBuffer();
      assert.equal(res.headers.get('x-served-by'), worker, path);
    }
    const [direct, viaGateway] = await Promise.all([onWikiSocket('/.well-known/oauth-protected-resource/mcp'), t.fetch(t.url('/.well-known/oauth-protected-resource/mcp', 'demo'))]);
    assert.deepEqual(await direct.json(), await viaGateway.json());
  });

  it('stamps a fresh request id and sends HSTS only for https', async () => {
    const plain = await onWikiSocket('/', { headers: { 'x-request-id': 'forged' } });
    await plain.arrayBuffer();
    assert.match(plain.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(plain.headers.get('strict-transport-security'), null);
    // The app answering in the edge's isolate sees the edge's id too, never the client's.
    const failed = await onWikiSocket('/api/v1/no-such-route', { headers: { 'x-request-id': 'forged', accept: 'application/json' } });
    const body = (await failed.json()) as { request_id?: string };
    assert.equal(failed.status, 404);
    assert.equal(body.request_id, failed.headers.get('x-request-id'));
    assert.notEqual(body.request_id, 'forged');
    const https = await onWikiSocket('/', { headers: { 'x-forwarded-proto': 'https' } });
    await https.arrayBuffer();
    assert.match(https.headers.get('strict-transport-security') ?? '', /max-age=/);
  });

  it('serves wiki hosts only: the apex, loopback and other hosts get 404 from the edge', async () => {
    for (const host of [`${TEST_APEX}:${t.stack.wikiPort}`, TEST_APEX, '127.0.0.1', 'localhost', 'elsewhere.example', `a.demo.${TEST_APEX}`]) {
      const res = await requestWithHost(t.stack.wikiPort, host, '/');
      assert.equal(res.status, 404, host);
      assert.equal(res.headers['x-served-by'], undefined, host);
      assert.equal((JSON.parse(res.body) as { error: string }).error, 'not_found');
    }
    const wiki = await requestWithHost(t.stack.wikiPort, `demo.${TEST_APEX}`, '/');
    assert.equal(wiki.status, 200, 'the same request for a wiki host is served');
    const missing = await onWikiSocket('/', {}, 'nosuch');
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { message: string }).message, /no wiki named "nosuch"/);
  });

  it('keeps internal and worker-health paths unreachable', async () => {
    for (const path of ['/internal/directory-changed', '/internal/semantic/stats', '/__health']) {
      const res = await onWikiSocket(path, { method: path === '/internal/directory-changed' ? 'POST' : 'GET' });
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('x-served-by'), null, path);
      await res.arrayBuffer();
    }
  });

  it('refuses a body over the route\'s limit with 413', async () => {
    // OAuth's paths take 1 MiB: a 2 MiB declared body is refused before the OAuth worker reads it.
    const res = await onWikiSocket('/token', { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 97), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: string }).error, 'too_large');
  });
});
