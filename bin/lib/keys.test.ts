import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { tempDir } from '../../test/helpers/temp.ts';
import { importJWK } from 'jose';
import { StartupError } from './fail.ts';
import { loadOrCreateKeys } from './keys.ts';

it('creates usable keys once, mode 0600, and loads the same ones later', async () => {
  const dir = tempDir('wikifarm-keys-');
  const first = await loadOrCreateKeys(dir);
  assert.equal(first.created.length, 3);
  for (const f of fs.readdirSync(dir)) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
  const session = JSON.parse(first.keys.sessionJwk);
  const atp = JSON.parse(first.keys.atpClientJwk);
  assert.equal(session.kty, 'RSA');
  assert.equal(atp.crv, 'P-256');
  assert.ok(session.kid && atp.kid);
  await importJWK(session, 'RS256');
  await importJWK(atp, 'ES256');
  assert.equal(Buffer.from(first.keys.dataKey, 'base64').length, 32);

  const second = await loadOrCreateKeys(dir);
  assert.deepEqual(second.created, []);
  assert.deepEqual(second.keys, first.keys);
});

it('refuses keys other users can read', async () => {
  const dir = tempDir('wikifarm-keys-');
  await loadOrCreateKeys(dir);
  fs.chmodSync(path.join(dir, 'data.key'), 0o644);
  await assert.rejects(loadOrCreateKeys(dir), (e: unknown) => e instanceof StartupError && /chmod 600/.test(e.message));
});

it('refuses a damaged key instead of serving with it', async () => {
  const dir = tempDir('wikifarm-keys-');
  await loadOrCreateKeys(dir);
  fs.writeFileSync(path.join(dir, 'session.jwk.json'), '', { mode: 0o600 });
  await assert.rejects(loadOrCreateKeys(dir), (e: unknown) => e instanceof StartupError && /session\.jwk\.json is damaged/.test(e.message));
});
