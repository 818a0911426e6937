import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyHost, hostName } from './hosts.ts';

const APEX = 'wiki.example';

describe('hostName', () => {
  it('lowercases and strips the port', () => {
    assert.equal(hostName('Demo.Wiki.Example:8443'), 'demo.wiki.example');
    assert.equal(hostName('wiki.example.'), 'wiki.example');
    assert.equal(hostName('[::1]:8787'), '[::1]');
  });
  it('rejects what is not a host', () => {
    for (const bad of [null, '', 'a b', 'evil.com/path', 'x@y', 'wiki.example:99999999', 'wiki.example:port']) {
      assert.equal(hostName(bad), null, String(bad));
    }
  });
});

describe('classifyHost', () => {
  it('knows the apex and wiki hosts', () => {
    assert.deepEqual(classifyHost('wiki.example', APEX), { kind: 'apex' });
    assert.deepEqual(classifyHost('WIKI.example:443', APEX), { kind: 'apex' });
    assert.deepEqual(classifyHost('demo.wiki.example', APEX), { kind: 'wiki', slug: 'demo' });
    assert.deepEqual(classifyHost('my-notes.wiki.example:8080', APEX), { kind: 'wiki', slug: 'my-notes' });
  });
  it('refuses deeper names, lookalikes and other domains', () => {
    for (const h of ['a.demo.wiki.example', 'evilwiki.example', 'wiki.example.evil.com', '-x.wiki.example', 'x-.wiki.example', '_x.wiki.example', 'localhost', '10.0.0.1', '127.0.0.2']) {
      assert.deepEqual(classifyHost(h, APEX), { kind: 'unknown' }, h);
    }
  });
});

it('knows the loopback addresses the sign-in callback lands on', () => {
  for (const h of ['127.0.0.1', '127.0.0.1:8787', '[::1]:8787']) assert.deepEqual(classifyHost(h, APEX), { kind: 'loopback' }, h);
});
