import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bearerChallenge, bearerToken, insufficientScopeChallenge, originAllowed, responseMode } from './http.ts';

it('challenges without credentials bare, and a rejected token with invalid_token', () => {
  const url = 'https://acme.wiki.example/.well-known/oauth-protected-resource/mcp';
  assert.equal(bearerChallenge(url, false), `Bearer resource_metadata="${url}", scope="wiki:read wiki:write"`);
  assert.equal(bearerChallenge(url, true), `Bearer error="invalid_token", resource_metadata="${url}", scope="wiki:read wiki:write"`);
});

it('asks for every scope when a token lacks one', () => {
  const url = 'https://acme.wiki.example/.well-known/oauth-protected-resource/mcp';
  assert.equal(insufficientScopeChallenge(url), `Bearer error="insufficient_scope", scope="wiki:read wiki:write", resource_metadata="${url}"`);
});

it('reads bearer tokens and nothing else', () => {
  assert.equal(bearerToken('Bearer wfpat_abc-123'), 'wfpat_abc-123');
  assert.equal(bearerToken('bearer  tok'), 'tok');
  for (const bad of [null, '', 'Basic eDp5', 'Bearer', 'Bearer a b', 'Bearer "quoted"']) assert.equal(bearerToken(bad), null, String(bad));
});

it('allows no Origin, the wiki, the apex and Claude; refuses other sites and null', () => {
  const allowed = { wiki: 'https://acme.wiki.example', apex: 'https://wiki.example' };
  for (const ok of [null, 'https://acme.wiki.example', 'HTTPS://ACME.WIKI.EXAMPLE', 'https://wiki.example', 'https://claude.ai', 'https://claude.com']) assert.equal(originAllowed(ok, allowed), true, String(ok));
  for (const bad of ['https://evil.example', 'null', 'https://other.wiki.example', 'http://acme.wiki.example', 'https://acme.wiki.example.evil.example']) assert.equal(originAllowed(bad, allowed), false, bad);
});

it('answers SSE only to clients that accept SSE and not JSON', () => {
  assert.equal(responseMode('text/event-stream'), 'sse');
  assert.equal(responseMode('text/event-stream, application/json;q=0'), 'sse');
  for (const json of [null, '', 'application/json', '*/*', 'application/*', 'application/json, text/event-stream', 'text/event-stream, */*;q=0.1']) assert.equal(responseMode(json), 'json', String(json));
});
