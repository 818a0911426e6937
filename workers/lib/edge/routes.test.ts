import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyLimitFor, routeInternal, routeRequest } from './routes.ts';

const apex = { kind: 'apex' } as const;
const wiki = { kind: 'wiki', slug: 'demo' } as const;
const to = (worker: string) => ({ to: 'worker', worker });

describe('routeRequest follows the host and path table', () => {
  it('apex', () => {
    assert.deepEqual(routeRequest(apex, '/'), to('platform'));
    assert.deepEqual(routeRequest(apex, '/app/wikis'), to('platform'));
    assert.deepEqual(routeRequest(apex, '/api/wikis'), to('platform'));
    assert.deepEqual(routeRequest(apex, '/auth/login'), to('auth'));
    assert.deepEqual(routeRequest(apex, '/auth'), to('auth'));
    assert.deepEqual(routeRequest(apex, '/authx'), to('platform'));
    assert.deepEqual(routeRequest(apex, '/.well-known/jwks.json'), to('auth'));
    assert.deepEqual(routeRequest(apex, '/healthz'), { to: 'health', worker: 'all' });
    assert.deepEqual(routeRequest(apex, '/healthz/wiki'), { to: 'health', worker: 'wiki' });
    assert.deepEqual(routeRequest(apex, '/healthz/gateway'), { to: 'health', worker: 'gateway' });
    assert.equal(routeRequest(apex, '/healthz/nope').to, 'not_found');
  });
  it('wiki host', () => {
    assert.deepEqual(routeRequest(wiki, '/mcp'), to('mcp'));
    assert.deepEqual(routeRequest(wiki, '/mcp/'), to('mcp'));
    assert.deepEqual(routeRequest(wiki, '/mcpx'), to('wiki'));
    for (const p of ['/authorize', '/token', '/register', '/revoke', '/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      assert.deepEqual(routeRequest(wiki, p), to('oauth'), p);
    }
    for (const p of ['/', '/Home', '/.git/info/refs', '/api/v1/pages', '/healthz', '/_Underscored_Page']) {
      assert.deepEqual(routeRequest(wiki, p), to('wiki'), p);
    }
  });
  it('never forwards a public request to a worker\'s own health path or an internal route', () => {
    for (const target of [apex, wiki]) {
      for (const p of ['/__health', '/__anything', '/internal/tls-ask', '/internal/directory-changed']) assert.equal(routeRequest(target, p).to, 'not_found', `${target.kind} ${p}`);
    }
  });
  it('the internal socket answers only health and internal routes', () => {
    assert.deepEqual(routeInternal('/internal/tls-ask'), to('platform'));
    assert.deepEqual(routeInternal('/internal/directory-changed'), to('wiki'));
    assert.deepEqual(routeInternal('/healthz'), { to: 'health', worker: 'all' });
    assert.deepEqual(routeInternal('/healthz/mcp'), { to: 'health', worker: 'mcp' });
    assert.equal(routeInternal('/').to, 'not_found');
    assert.equal(routeInternal('/mcp').to, 'not_found');
  });
  it('a loopback host reaches only the sign-in callback', () => {
    assert.deepEqual(routeRequest({ kind: 'loopback' }, '/auth/callback'), { to: 'worker', worker: 'auth' });
    for (const p of ['/', '/auth/login', '/auth/handover', '/api/v1/pages', '/healthz']) assert.equal(routeRequest({ kind: 'loopback' }, p).to, 'not_found', p);
  });

  it('unknown hosts reach nothing', () => {
    assert.equal(routeRequest({ kind: 'unknown' }, '/').to, 'not_found');
  });
});

it('gives git pushes and uploads room, and everything else 1 MiB', () => {
  assert.equal(bodyLimitFor('platform', '/api/wikis'), 1024 * 1024);
  assert.ok(bodyLimitFor('wiki', '/.git/git-receive-pack') >= 100 * 1024 * 1024);
  assert.ok(bodyLimitFor('wiki', '/Home/attachments') > bodyLimitFor('auth', '/auth/login'));
});
