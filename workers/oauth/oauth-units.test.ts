import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalResource, wikiIssuer } from './issuer.ts';
import { isAcceptableRedirect, redirectMatches } from './redirect-uri.ts';
import { grantableScopes, requestedScopes, toOAuthScope } from './scopes.ts';

const acme = wikiIssuer('https://wiki.example', 'acme');

describe('issuer and resource', () => {
  it('builds the issuer, audience and metadata URL from configuration', () => {
    assert.deepEqual(acme, { issuer: 'https://acme.wiki.example', resource: 'https://acme.wiki.example/mcp', resourceMetadata: 'https://acme.wiki.example/.well-known/oauth-protected-resource/mcp' });
    assert.equal(wikiIssuer('http://wiki.localhost:8787', 'demo').resource, 'http://demo.wiki.localhost:8787/mcp');
  });

  it('accepts the forms clients send for this wiki, and nothing else', () => {
    for (const ok of [undefined, '', 'https://acme.wiki.example/mcp', 'https://acme.wiki.example/mcp/', 'https://acme.wiki.example', 'https://acme.wiki.example/', 'HTTPS://ACME.wiki.example/mcp']) {
      assert.equal(canonicalResource(ok, acme), 'https://acme.wiki.example/mcp', String(ok));
    }
    for (const bad of ['https://other.wiki.example/mcp', 'https://acme.wiki.example/mcp-other', 'https://acme.wiki.example/api', 'http://acme.wiki.example/mcp', 'https://acme.wiki.example:444/mcp', 'https://acme.wiki.example/mcp#x', 'https://acme.wiki.example/mcp?x=1', 'not a url']) {
      assert.equal(canonicalResource(bad, acme), null, bad);
    }
  });
});

describe('scopes', () => {
  it('reads wiki scopes, drops junk, defaults to both', () => {
    assert.deepEqual(requestedScopes('wiki:read'), ['read']);
    assert.deepEqual(requestedScopes('wiki:write'), ['read', 'write']);
    assert.deepEqual(requestedScopes('wiki:read wiki:write offline_access'), ['read', 'write']);
    assert.deepEqual(requestedScopes('claudeai'), ['read', 'write']);
    assert.deepEqual(requestedScopes(undefined), ['read', 'write']);
  });

  it('caps what is granted by the role', () => {
    assert.deepEqual(grantableScopes(['read', 'write'], 'viewer'), ['read']);
    assert.deepEqual(grantableScopes(['read', 'write'], 'editor'), ['read', 'write']);
    assert.equal(toOAuthScope(['read', 'write']), 'wiki:read wiki:write');
  });
});

describe('redirect URIs', () => {
  it('matches exactly, except the port of loopback redirects', () => {
    assert.ok(redirectMatches(['https://claude.ai/api/mcp/auth_callback'], 'https://claude.ai/api/mcp/auth_callback'));
    assert.ok(!redirectMatches(['https://claude.ai/api/mcp/auth_callback'], 'https://claude.ai/api/mcp/auth_callback/'));
    assert.ok(!redirectMatches(['https://claude.ai/api/mcp/auth_callback'], 'https://claude.ai:8443/api/mcp/auth_callback'));
    assert.ok(redirectMatches(['http://localhost/callback', 'http://127.0.0.1/callback'], 'http://localhost:54321/callback'));
    assert.ok(redirectMatches(['http://127.0.0.1/callback'], 'http://127.0.0.1:9/callback'));
    assert.ok(!redirectMatches(['http://localhost/callback'], 'http://127.0.0.1:54321/callback'), 'host must match');
    assert.ok(!redirectMatches(['http://localhost/callback'], 'http://localhost:54321/other'), 'path must match');
    assert.ok(!redirectMatches(['http://localhost/callback'], 'http://localhost.evil.example:1/callback'));
  });

  it('accepts https and loopback http for registration', () => {
    assert.ok(isAcceptableRedirect('https://app.example/cb'));
    assert.ok(isAcceptableRedirect('http://127.0.0.1:3000/cb'));
    for (const bad of ['http://app.example/cb', 'javascript:alert(1)', 'https://u:p@app.example/cb', 'https://app.example/cb#x', 'nope']) assert.ok(!isAcceptableRedirect(bad), bad);
  });
});
