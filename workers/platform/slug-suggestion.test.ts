import assert from 'node:assert/strict';
import { it } from 'node:test';
import { slugProblem } from '../lib/slugs.ts';
import { baseSlugFromHandle, slugCandidates, suggestSlug } from './slug-suggestion.ts';

it('takes the first label of the handle, made into a slug', () => {
  assert.equal(baseSlugFromHandle('alice.bsky.social'), 'alice');
  assert.equal(baseSlugFromHandle('@Jo_Doe--X.example.com'), 'jo-doe-x');
  assert.equal(baseSlugFromHandle('ab.example'), 'ab-wiki');
  assert.equal(baseSlugFromHandle('-.example'), 'my-wiki');
  assert.equal(baseSlugFromHandle('Zoë.example'), 'zoe');
  const long = baseSlugFromHandle(`${'a'.repeat(29)}-b.example`);
  assert.ok(long.length <= 30 && slugProblem(long) === null, long);
});

it('skips reserved and taken names', () => {
  assert.equal(suggestSlug('alice.bsky.social', new Set()), 'alice');
  assert.equal(suggestSlug('alice.bsky.social', new Set(['alice'])), 'alice-wiki');
  assert.equal(suggestSlug('alice.bsky.social', new Set(['alice', 'alice-wiki'])), 'alice-2');
  assert.equal(suggestSlug('admin.example.com', new Set()), 'admin-wiki', 'reserved');
  assert.equal(suggestSlug('www.example.com', new Set(['www-wiki'])), 'www-2');
});

it('offers only valid names, even for the longest handles', () => {
  for (const c of slugCandidates('x'.repeat(30))) assert.equal(slugProblem(c), null, c);
  assert.equal(suggestSlug('bob.example', new Set(slugCandidates('bob'))), '');
});
