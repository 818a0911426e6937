/**
 * config.capnp's security properties, read from the file workerd serves: the
 * sockets (the gateway's, and the wiki's Edge for wiki hosts), the git disk bound only to the wiki worker, no
 * outbound network but for the workers that must reach the internet, and no
 * secret written into the file.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { ROOT } from '../../bin/lib/build.ts';

const config = fs.readFileSync(path.join(ROOT, 'config.capnp'), 'utf8').replace(/#.*$/gm, '');

function workerBlock(name: string): string {
  const m = new RegExp(`const ${name} :Workerd\\.Worker = \\(([\\s\\S]*?)\\n\\);`).exec(config);
  assert.ok(m, `worker ${name} is declared`);
  return m[1]!;
}

it('has four sockets, all on loopback: the gateway\'s public and internal ones, the wiki\'s Edge for wiki hosts, and a probe of each process\'s own health', () => {
  const sockets = /sockets = \[([\s\S]*?)\n  \],/.exec(config)?.[1] ?? '';
  assert.equal(sockets.match(/^\s*\(name = /gm)?.length, 4);
  assert.match(sockets, /\(name = "probe", address = "127\.0\.0\.1:0", service = \(name = "gateway", entrypoint = "Internal"\)\)/);
  assert.match(sockets, /\(name = "http", address = "127\.0\.0\.1:\d+", service = "gateway"/);
  assert.match(sockets, /\(name = "internal", address = "127\.0\.0\.1:\d+", service = \(name = "gateway", entrypoint = "Internal"\)\)/);
  assert.match(sockets, /\(name = "wiki", address = "127\.0\.0\.1:\d+", service = \(name = "wiki", entrypoint = "Edge"\),\s*http = \(forwardedProtoHeader = "X-Forwarded-Proto"\)\)/);
});

it('binds the git disk to the wiki worker only', () => {
  for (const w of ['gateway', 'auth', 'oauth', 'mcp', 'platform']) assert.doesNotMatch(workerBlock(w), /"gitdisk"/, w);
  assert.match(workerBlock('wiki'), /\(name = "DISK", service = "gitdisk"\)/);
});

it('gives outbound network only to the workers that must reach the internet', () => {
  for (const w of ['gateway', 'wiki', 'mcp', 'platform']) assert.match(workerBlock(w), /globalOutbound = "none"/, w);
  assert.match(workerBlock('oauth'), /globalOutbound = "internet"/);
  assert.match(workerBlock('auth'), /globalOutbound = "atproto"/);
  assert.match(config, /\(name = "internet", network = \(allow = \["public"\]/, 'public addresses only: no loopback or private ranges');
  assert.match(config, /\(name = "atproto", +network = \(allow = \["public"\]/, 'public addresses only: a typed PDS address cannot reach this machine');
  assert.match(config, /\(name = "none", +network = \(allow = \[\]\)\)/);
});

it('takes secrets from the environment, never embedded', () => {
  for (const secret of ['SESSION_JWK', 'ATP_CLIENT_JWK', 'DATA_KEY']) {
    assert.match(workerBlock('auth'), new RegExp(`\\(name = "${secret}", +fromEnvironment = "${secret}"\\)`));
    for (const w of ['gateway', 'oauth', 'wiki', 'mcp', 'platform']) assert.doesNotMatch(workerBlock(w), new RegExp(secret), `${w} never sees ${secret}`);
  }
  assert.doesNotMatch(config, /"kty"|BEGIN PRIVATE KEY/);
});

it('wires the JS-RPC entrypoints the workers call', () => {
  assert.match(workerBlock('mcp'), /service = \(name = "wiki", +entrypoint = "WikiRpc"\)/);
  assert.match(workerBlock('mcp'), /service = \(name = "oauth", entrypoint = "OAuthRpc"\)/);
  assert.match(workerBlock('platform'), /service = \(name = "auth", entrypoint = "AuthRpc"\)/);
  assert.match(workerBlock('wiki'), /service = \(name = "oauth", entrypoint = "OAuthRpc"\)/, 'the wiki verifies tokens through the oauth worker');
  assert.match(workerBlock('wiki'), /service = \(name = "auth", +entrypoint = "AuthRpc"\)/, 'and sessions through the auth worker');
});
