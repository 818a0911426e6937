import assert from 'node:assert/strict';
import { it } from 'node:test';
import { safeReturnTo } from './return-to.ts';

const ORIGIN = 'https://wiki.example:8443';
const go = (input: string | null) => safeReturnTo(input, ORIGIN, 'wiki.example');

it('keeps paths on the apex and addresses on the apex or a wiki host', () => {
  assert.equal(go('/app/wikis/acme?tab=1'), 'https://wiki.example:8443/app/wikis/acme?tab=1');
  assert.equal(go('https://acme.wiki.example:8443/Home#top'), 'https://acme.wiki.example:8443/Home#top');
  assert.equal(go('https://wiki.example:8443/app'), 'https://wiki.example:8443/app');
});

it('sends everything else to the dashboard', () => {
  for (const bad of [
    null,
    '',
    '//evil.example/x',
    '/\\evil.example',
    'https://evil.example/',
    'https://wiki.example.evil.example:8443/',
    'https://evilwiki.example:8443/',
    'https://a.b.wiki.example:8443/',
    'http://acme.wiki.example:8443/',
    'https://acme.wiki.example/',
    'https://user:pw@acme.wiki.example:8443/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    `/${'x'.repeat(3000)}`,
  ]) {
    assert.equal(go(bad), 'https://wiki.example:8443/app', String(bad));
  }
});
