import assert from 'node:assert/strict';
import { it } from 'node:test';
import { hashSecret, newId, newPersonalAccessToken, PAT_PREFIX } from './tokens.ts';

it('mints distinct, prefixed, URL-safe tokens with 256 bits', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const t = newPersonalAccessToken();
    assert.ok(t.startsWith(PAT_PREFIX));
    assert.match(t.slice(PAT_PREFIX.length), /^[A-Za-z0-9_-]{43}$/);
    seen.add(t);
  }
  assert.equal(seen.size, 1000);
});

it('hashes with SHA-256 (known vector) and never returns the secret', async () => {
  assert.equal(await hashSecret('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  const t = newPersonalAccessToken();
  assert.notEqual(await hashSecret(t), t);
});

it('makes prefixed lowercase ids', () => {
  assert.match(newId('wk'), /^wk_[a-z0-9]{16}$/);
  assert.notEqual(newId('wk'), newId('wk'));
});
