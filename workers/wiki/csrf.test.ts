import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AppError } from '../lib/errors.ts';
import type { Caller } from './access.ts';
import { requireCsrf } from './csrf.ts';

const member: Caller = { kind: 'member', did: 'did:plc:x', name: 'X', role: 'editor', scopes: ['read', 'write'], via: 'session', csrf: 'tok' };
const post = (headers: Record<string, string>) => new Request('https://demo.wiki.example/Page/edit', { method: 'POST', headers });
const forbidden = (e: unknown) => e instanceof AppError && e.status === 403;

it('accepts a same-origin form with the session token', () => {
  requireCsrf(post({ origin: 'https://demo.wiki.example', 'sec-fetch-site': 'same-origin' }), member, 'tok');
  requireCsrf(post({ origin: 'https://demo.wiki.example' }), member, 'tok');
});

it('refuses a sibling wiki, another site, a missing or wrong token', () => {
  assert.throws(() => requireCsrf(post({ origin: 'https://evil.wiki.example', 'sec-fetch-site': 'same-site' }), member, 'tok'), forbidden);
  assert.throws(() => requireCsrf(post({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), member, 'tok'), forbidden);
  assert.throws(() => requireCsrf(post({}), member, 'tok'), forbidden, 'no Origin and no Sec-Fetch-Site: not provably same-origin');
  assert.throws(() => requireCsrf(post({ origin: 'https://demo.wiki.example' }), member, 'wrong'), forbidden);
  assert.throws(() => requireCsrf(post({ origin: 'https://demo.wiki.example' }), member, undefined), forbidden);
});

it('needs no token from bearer-token callers, and refuses anonymous ones', () => {
  requireCsrf(post({}), { kind: 'member', did: 'd', name: 'n', role: 'editor', scopes: ['write'], via: 'token' }, undefined);
  assert.throws(() => requireCsrf(post({}), { kind: 'anonymous' }, 'x'), (e: unknown) => e instanceof AppError && e.status === 401);
});
