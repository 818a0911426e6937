/**
 * The sign-in rules with a fake ATProto client (the PDS is outside this
 * machine; the end-to-end suite uses a real local one) and a real sqld.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, type CryptoKey } from 'jose';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import { startTestSqld, type TestSqld } from '../../test/helpers/sqld.ts';
import { activeSession, revokeSession } from '../lib/directory/sessions.ts';
import { AppError } from '../lib/errors.ts';
import { verifySessionToken } from '../lib/session-token.ts';
import { finishSignIn, HANDOVER_TTL_MS, parseSignInInput, redeemHandover, startSignIn, type AtprotoSignInClient, type SignInDeps } from './sign-in.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const MALLORY = 'did:plc:mmmmmmmmmmmmmmmmmmmmmmmm';
const ORIGIN = 'http://wiki.localhost:8787';

/** Stands in for a PDS: one authorization per state, consumed by its callback. */
function fakeClient(): AtprotoSignInClient & { signsInAs: Map<string, string> } {
  const handles: Record<string, string> = { 'alice.test': ALICE, 'mallory.test': MALLORY };
  const pending = new Map<string, { appState: string; did: string }>();
  const signsInAs = new Map<string, string>();
  let n = 0;
  return {
    signsInAs,
    async resolve(input) {
      const did = input.startsWith('did:') ? input : handles[input];
      if (!did) throw new Error('no such handle');
      return { did, handle: input.startsWith('did:') ? null : input };
    },
    async authorize(input, appState) {
      const state = `st${++n}`;
      const did = input.startsWith('did:') ? input : (handles[input] ?? ALICE);
      pending.set(state, { appState, did: signsInAs.get(input) ?? did });
      return new URL(`https://pds.example/oauth/authorize?request_uri=urn:x:${state}`);
    },
    async callback(params) {
      const state = params.get('state') ?? '';
      const p = pending.get(state);
      if (!p) throw new Error('Unknown authorization session');
      pending.delete(state);
      return { did: p.did, appState: p.appState };
    },
    async profile(did) {
      return { handle: did === ALICE ? 'alice.test' : 'mallory.test', displayName: did === ALICE ? 'Alice' : null };
    },
  };
}

let s: TestSqld;
let keys: { sessionKey: CryptoKey; verifyKey: CryptoKey };
before(async () => {
  s = await startTestSqld();
  const pair = await generateKeyPair('RS256');
  keys = { sessionKey: pair.privateKey, verifyKey: pair.publicKey };
});
after(() => s.stop());

function deps(client = fakeClient(), now?: () => number): SignInDeps & { client: ReturnType<typeof fakeClient>; sessionKey: CryptoKey; sessionKid: string } {
  return { db: s.db, client, publicOrigin: ORIGIN, apex: 'wiki.localhost', now, sessionKey: keys.sessionKey, sessionKid: 'k1' };
}

const isAppError = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

/** Runs start → the PDS's redirect back → finish; returns the handover code and the browser's nonce. */
async function signIn(d: ReturnType<typeof deps>, typed = 'alice.test', returnTo: string | null = '/app/wikis') {
  const { redirect, nonce } = await startSignIn(d, typed, returnTo);
  const state = redirect.searchParams.get('request_uri')!.split(':').pop()!;
  const next = await finishSignIn(d, new URLSearchParams({ state, code: 'c', iss: 'https://pds.example' }));
  assert.equal(next.origin + next.pathname, `${ORIGIN}/auth/handover`);
  return { code: next.searchParams.get('code')!, nonce, state };
}

describe('what a person may type', () => {
  it('accepts handles (with @ and capitals), DIDs and https PDS addresses', () => {
    assert.deepEqual(parseSignInInput(' @Alice.Bsky.Social '), { kind: 'handle', value: 'alice.bsky.social' });
    assert.deepEqual(parseSignInInput(ALICE), { kind: 'did', value: ALICE });
    assert.deepEqual(parseSignInInput('https://bsky.social/xrpc'), { kind: 'service', value: 'https://bsky.social' });
  });

  it('refuses the rest with a message a person can act on', () => {
    for (const bad of ['', 'alice', 'did:plc:short', 'http://pds.example.com', 'https://', 'a b.com', '<script>.com']) {
      assert.throws(() => parseSignInInput(bad), isAppError('invalid'), bad);
    }
  });
});

describe('sign-in', () => {
  it('signs in the person whose handle was typed, refreshes their handle and name, and hands the session to the apex once', async () => {
    const d = deps();
    const { code, nonce } = await signIn(d);
    const [user] = await s.db.select().from(users).where(eq(users.did, ALICE));
    assert.equal(user!.handle, 'alice.test');
    assert.equal(user!.displayName, 'Alice');
    const session = await redeemHandover(d, code, nonce, 'test-agent');
    assert.equal(session.returnTo, `${ORIGIN}/app/wikis`);
    const claims = await verifySessionToken(keys.verifyKey, session.token);
    assert.equal(claims?.did, ALICE);
    assert.ok(await activeSession(s.db, claims!.sessionId, ALICE));
    await assert.rejects(redeemHandover(d, code, nonce, 'test-agent'), isAppError('unauthorized'), 'a handover code works once');
  });

  it('refuses an account other than the one whose handle was typed', async () => {
    const client = fakeClient();
    client.signsInAs.set('alice.test', MALLORY); // the PDS hands back someone else
    const d = deps(client);
    const { redirect } = await startSignIn(d, 'alice.test', null);
    const state = redirect.searchParams.get('request_uri')!.split(':').pop()!;
    await assert.rejects(finishSignIn(d, new URLSearchParams({ state, code: 'c' })), isAppError('forbidden'));
  });

  it('refuses a replayed callback, an unknown state and a cancelled sign-in', async () => {
    const d = deps();
    const { state } = await signIn(d);
    await assert.rejects(finishSignIn(d, new URLSearchParams({ state, code: 'c' })), isAppError('unauthorized'), 'replay');
    await assert.rejects(finishSignIn(d, new URLSearchParams({ state: 'never-issued', code: 'c' })), isAppError('unauthorized'));
    await assert.rejects(finishSignIn(d, new URLSearchParams({ error: 'access_denied', state })), (e) => isAppError('unauthorized')(e) && /cancelled/.test((e as Error).message));
  });

  it('refuses a handover from another browser (missing or tampered nonce cookie)', async () => {
    const d = deps();
    for (const nonce of [null, 'forged-nonce']) {
      const { code } = await signIn(d);
      await assert.rejects(redeemHandover(d, code, nonce, undefined), isAppError('forbidden'));
    }
  });

  it('refuses an expired handover code', async () => {
    let now = Date.now();
    const d = deps(fakeClient(), () => now);
    const { code, nonce } = await signIn(d);
    now += HANDOVER_TTL_MS + 1;
    await assert.rejects(redeemHandover(d, code, nonce, undefined), isAppError('unauthorized'));
  });

  it('a revoked session is over at once', async () => {
    const d = deps();
    const { code, nonce } = await signIn(d);
    const claims = await verifySessionToken(keys.verifyKey, (await redeemHandover(d, code, nonce, undefined)).token);
    await revokeSession(s.db, claims!.sessionId, { kind: 'system' });
    assert.equal(await activeSession(s.db, claims!.sessionId, ALICE), null);
  });

  it('never sends the browser off the platform afterwards', async () => {
    const d = deps();
    const { code, nonce } = await signIn(d, 'alice.test', 'https://evil.example/phish');
    assert.equal((await redeemHandover(d, code, nonce, undefined)).returnTo, `${ORIGIN}/app`);
  });

  it('says plainly when a handle does not exist', async () => {
    await assert.rejects(startSignIn(deps(), 'nobody.test', null), (e) => isAppError('not_found')(e) && /nobody\.test/.test((e as Error).message));
  });
});
