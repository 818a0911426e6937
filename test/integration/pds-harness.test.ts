/**
 * The local ATProto PDS harness (test/helpers/pds.ts) that the Bluesky sign-in
 * tests run against: a real PLC directory and PDS on loopback, with accounts
 * that resolve by handle and DID and an OAuth authorization server.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, it } from 'node:test';
import { startLocalPds, type LocalPds, type PdsAccount } from '../helpers/pds.ts';

let pds: LocalPds;
let alice: PdsAccount;
let bob: PdsAccount;

before(async () => {
  pds = await startLocalPds();
  [alice, bob] = await Promise.all([pds.createAccount('alice'), pds.createAccount('bob')]);
});
after(() => pds?.stop());

async function json(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Local addresses of the TCP sockets listening on `port` (from /proc/net/tcp and tcp6). */
function listeners(port: number): string[] {
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue; // 0A = LISTEN
      const [addr, hexPort] = local.split(':');
      if (parseInt(hexPort!, 16) === port) found.push(addr!);
    }
  }
  return found;
}

it('creates accounts with .test handles, DIDs and passwords', () => {
  assert.equal(alice.handle, 'alice.test');
  assert.equal(bob.handle, 'bob.test');
  assert.match(alice.did, /^did:plc:[a-z2-7]{24}$/);
  assert.notEqual(alice.did, bob.did);
  assert.ok(alice.password.length >= 16);
  assert.equal(alice.email, 'alice@example.test');
});

it('serves the PDS and the PLC on loopback only', async () => {
  assert.match(pds.pdsUrl, /^http:\/\/localhost:\d+$/);
  assert.match(pds.plcUrl, /^http:\/\/localhost:\d+$/);
  assert.deepEqual(await json(`${pds.pdsUrl}/xrpc/_health`), { version: '0.5.35' });
  for (const url of [pds.pdsUrl, pds.plcUrl]) {
    assert.deepEqual(listeners(Number(new URL(url).port)), ['0100007F'], `${url} listens on 127.0.0.1 and nowhere else`);
  }
});

it('resolves each handle to its DID', async () => {
  for (const account of [alice, bob]) {
    const r = await json(`${pds.pdsUrl}/xrpc/com.atproto.identity.resolveHandle?handle=${account.handle}`);
    assert.deepEqual(r, { did: account.did });
  }
  const missing = await fetch(`${pds.pdsUrl}/xrpc/com.atproto.identity.resolveHandle?handle=nobody.test`);
  assert.equal(missing.status, 400);
});

it('publishes each DID document at the PLC, naming the PDS as its service endpoint', async () => {
  const doc = await json(`${pds.plcUrl}/${alice.did}`);
  assert.equal(doc.id, alice.did);
  assert.deepEqual(doc.alsoKnownAs, ['at://alice.test']);
  const services = doc.service as { id: string; type: string; serviceEndpoint: string }[];
  assert.deepEqual(
    services.find((s) => s.id === '#atproto_pds'),
    { id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: pds.pdsUrl },
  );
});

it('is an OAuth authorization server with pushed authorization requests', async () => {
  const meta = await json(`${pds.pdsUrl}/.well-known/oauth-authorization-server`);
  assert.equal(meta.issuer, pds.pdsUrl);
  assert.equal(meta.pushed_authorization_request_endpoint, `${pds.pdsUrl}/oauth/par`);
  assert.equal(meta.authorization_endpoint, `${pds.pdsUrl}/oauth/authorize`);
  assert.equal(meta.require_pushed_authorization_requests, true);
  const resource = await json(`${pds.pdsUrl}/.well-known/oauth-protected-resource`);
  assert.deepEqual(resource.authorization_servers, [pds.pdsUrl]);
});

it('stops without leaving its process or its temp directory behind', async () => {
  const { pid, dir } = pds;
  assert.ok(fs.existsSync(dir));
  await pds.stop();
  let alive: boolean;
  try {
    alive = !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    alive = false;
  }
  assert.equal(alive, false, `process ${pid} is gone`);
  assert.equal(fs.existsSync(dir), false, `${dir} is removed`);
  await assert.rejects(pds.createAccount('carol'), /stopped/);
});
