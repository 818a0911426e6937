import assert from 'node:assert/strict';
import { it } from 'node:test';
import { wikiMcpUrl, wikiOrigin, wikiResourceMetadataUrl } from './wiki-urls.ts';

it('builds wiki addresses from configuration, with its scheme and port', () => {
  assert.equal(wikiOrigin('https://wiki.example', 'acme'), 'https://acme.wiki.example');
  assert.equal(wikiOrigin('http://wiki.localhost:8787', 'demo'), 'http://demo.wiki.localhost:8787');
  assert.equal(wikiMcpUrl('http://wiki.localhost:8787/', 'demo'), 'http://demo.wiki.localhost:8787/mcp');
  assert.equal(wikiResourceMetadataUrl('https://wiki.example/', 'acme'), 'https://acme.wiki.example/.well-known/oauth-protected-resource/mcp');
});
