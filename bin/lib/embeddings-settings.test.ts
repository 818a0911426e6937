/** The embedding provider's settings and how workerd is pointed at it (no processes started). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './build.ts';
import { StartupError } from './fail.ts';
import { readSettings } from './settings.ts';
import { configFile, embeddingsAddress } from './workerd.ts';

describe('EMBEDDINGS_* settings', () => {
  it('are off by default', () => {
    assert.equal(readSettings({}).embeddings, undefined);
  });

  it('take a URL, a model, and optionally a key and a dimension', () => {
    assert.deepEqual(readSettings({ EMBEDDINGS_URL: 'http://127.0.0.1:11434/v1', EMBEDDINGS_MODEL: 'all-minilm' }).embeddings, { url: 'http://127.0.0.1:11434/v1', model: 'all-minilm' });
    assert.deepEqual(readSettings({ EMBEDDINGS_URL: 'https://api.example/v1', EMBEDDINGS_MODEL: 'm', EMBEDDINGS_API_KEY: 'sk', EMBEDDINGS_DIMENSIONS: '256' }).embeddings, {
      url: 'https://api.example/v1',
      model: 'm',
      apiKey: 'sk',
      dimensions: 256,
    });
  });

  it('refuse a URL without a model, a URL that is not http(s), and a silly dimension', () => {
    assert.throws(() => readSettings({ EMBEDDINGS_URL: 'http://127.0.0.1:11434/v1' }), (e: unknown) => e instanceof StartupError && /EMBEDDINGS_MODEL/.test(e.message));
    assert.throws(() => readSettings({ EMBEDDINGS_URL: 'ftp://x/v1', EMBEDDINGS_MODEL: 'm' }), (e: unknown) => e instanceof StartupError && /EMBEDDINGS_URL/.test(e.message));
    assert.throws(() => readSettings({ EMBEDDINGS_URL: 'http://x/v1', EMBEDDINGS_MODEL: 'm', EMBEDDINGS_DIMENSIONS: '0' }), /EMBEDDINGS_DIMENSIONS/);
  });
});

describe('the embeddings service', () => {
  it('connects to the URL\'s host and port', () => {
    assert.deepEqual(embeddingsAddress('http://127.0.0.1:11434/v1'), { address: '127.0.0.1:11434', host: '127.0.0.1', tls: false });
    assert.deepEqual(embeddingsAddress('http://ollama.lan/v1'), { address: 'ollama.lan:80', host: 'ollama.lan', tls: false });
    assert.deepEqual(embeddingsAddress('https://api.example/v1'), { address: 'api.example:443', host: 'api.example', tls: true });
    assert.deepEqual(embeddingsAddress('http://[::1]:8080/v1'), { address: '[::1]:8080', host: '::1', tls: false });
  });

  it('uses config.capnp as it is for plain http, and a copy speaking TLS (certificate checked against the host) for https', () => {
    const plain = configFile({ localNetwork: false }, { url: 'http://127.0.0.1:11434/v1', model: 'm' });
    assert.match(plain, /\/config\.capnp$/);
    const derived = configFile({ localNetwork: false }, { url: 'https://api.example:8443/v1', model: 'm' });
    assert.match(derived, /\/config\.derived\.capnp$/);
    const text = fs.readFileSync(derived, 'utf8');
    assert.match(text, /\(name = "embeddings", external = \(address = "[^"]+", https = \(tlsOptions = \(trustBrowserCas = true\), certificateHost = "api\.example"\)\)\)/);
    assert.doesNotMatch(text, /"atproto", +network = \(allow = \["public", "local"\]/, 'nothing else widened');
    const both = fs.readFileSync(configFile({ localNetwork: true }, { url: 'https://api.example/v1', model: 'm' }), 'utf8');
    assert.match(both, /"atproto", +network = \(allow = \["public", "local"\]/);
    assert.match(both, /certificateHost = "api\.example"/);
  });
});

describe('config.capnp', () => {
  const config = fs.readFileSync(path.join(ROOT, 'config.capnp'), 'utf8').replace(/#.*$/gm, '');
  it('pins the provider to one external address, bound to the wiki worker only, which keeps no outbound network', () => {
    assert.match(config, /\(name = "embeddings", external = \(address = "[^"]+", http = \(\)\)\)/);
    const bound = [...config.matchAll(/const (\w+) :Workerd\.Worker = \(([\s\S]*?)\n\);/g)].filter((m) => /service = "embeddings"/.test(m[2]!)).map((m) => m[1]);
    assert.deepEqual(bound, ['wiki']);
    const wiki = /const wiki :Workerd\.Worker = \(([\s\S]*?)\n\);/.exec(config)![1]!;
    assert.match(wiki, /globalOutbound = "none"/);
    assert.match(wiki, /\(name = "EMBEDDINGS_API_KEY", +fromEnvironment = "EMBEDDINGS_API_KEY"\)/, 'the key comes from the environment');
  });
});
