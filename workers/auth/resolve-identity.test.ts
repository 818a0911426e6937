/** Finding collaborators by handle or DID, against a real sqld; the network lookup is a stand-in. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTestSqld, type TestSqld } from '../../test/helpers/sqld.ts';
import { upsertUser } from '../lib/directory/users.ts';
import { AppError } from '../lib/errors.ts';
import { resolveIdentity, type IdentityLookup } from './resolve-identity.ts';

const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const CAROL = 'did:plc:cccccccccccccccccccccccc';
let s: TestSqld;
before(async () => {
  s = await startTestSqld();
  await upsertUser(s.db, { did: CAROL, handle: 'carol.example.com' }, { kind: 'system' });
});
after(() => s.stop());

const network: IdentityLookup = async (input) => {
  if (input === 'bob.example.com' || input === BOB) return { did: BOB, handle: 'bob.example.com' };
  if (input === 'liar.example.com') return { did: 'did:plc:llllllllllllllllllllllll', handle: 'handle.invalid' };
  throw new Error('not resolvable');
};
const offline: IdentityLookup = async () => {
  throw new Error('network down');
};

it('resolves a handle over the network and records the person', async () => {
  assert.deepEqual(await resolveIdentity(s.db, network, '@Bob.Example.com'), { did: BOB, handle: 'bob.example.com', displayName: null });
  assert.equal((await resolveIdentity(s.db, offline, BOB)).handle, 'bob.example.com', 'now known locally');
});

it('falls back to people who signed in here when the network cannot answer', async () => {
  assert.equal((await resolveIdentity(s.db, offline, 'carol.example.com')).did, CAROL);
});

it('refuses a handle whose DID document does not claim it, unknown handles and junk', async () => {
  const notFound = (e: unknown) => e instanceof AppError && e.code === 'not_found';
  await assert.rejects(resolveIdentity(s.db, network, 'liar.example.com'), notFound);
  await assert.rejects(resolveIdentity(s.db, network, 'nobody.example.com'), notFound);
  await assert.rejects(resolveIdentity(s.db, network, 'not a handle'), (e) => e instanceof AppError && e.code === 'invalid');
});
