/** The directory rules (wikis, members, tokens) against a real sqld. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { auditLog, oauthGrants, personalAccessTokens } from '../../../db/schema.ts';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './audit.ts';
import { getRole, listMembers, removeMember, setMember } from './members.ts';
import { listPersonalAccessTokens, mintPersonalAccessToken, parseScopes, revokePersonalAccessToken, verifyPersonalAccessToken } from './personal-access-tokens.ts';
import { findUser, upsertUser } from './users.ts';
import { createWiki, type Wiki } from './wikis.ts';

const actor: Actor = { kind: 'cli' };
const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const CAROL = 'did:plc:cccccccccccccccccccccccc';

function isAppError(code: string) {
  return (e: unknown) => e instanceof AppError && e.code === code;
}

let s: TestSqld;
let demo: Wiki;
let other: Wiki;

before(async () => {
  s = await startTestSqld();
  await upsertUser(s.db, { did: ALICE, handle: 'alice.test.example' }, actor);
  await upsertUser(s.db, { did: BOB, handle: '@Bob.Test.Example' }, actor);
  await upsertUser(s.db, { did: CAROL, handle: 'carol.test.example' }, actor);
  demo = await createWiki(s.db, { slug: 'demo', ownerDid: ALICE, title: 'Demo' }, actor);
  other = await createWiki(s.db, { slug: 'other', ownerDid: BOB }, actor);
});
after(() => s.stop());

describe('users', () => {
  it('normalises handles and finds users by handle or DID', async () => {
    assert.equal((await findUser(s.db, 'bob.test.example')).did, BOB);
    assert.equal((await findUser(s.db, BOB)).handle, 'bob.test.example');
    await assert.rejects(findUser(s.db, 'nobody.test.example'), isAppError('not_found'));
  });
  it('refuses malformed DIDs and handles', async () => {
    await assert.rejects(upsertUser(s.db, { did: 'did:plc:short', handle: 'x.example' }, actor), isAppError('invalid'));
    await assert.rejects(upsertUser(s.db, { did: ALICE, handle: 'not a handle' }, actor), isAppError('invalid'));
  });
  it('refreshes the handle of an existing DID', async () => {
    await upsertUser(s.db, { did: CAROL, handle: 'carol2.test.example' }, actor);
    assert.equal((await findUser(s.db, CAROL)).handle, 'carol2.test.example');
  });
});

describe('wikis', () => {
  it('makes the creator the owner member and audits it', async () => {
    assert.equal(await getRole(s.db, demo.id, ALICE), 'owner');
    const audit = await s.db.select().from(auditLog).where(eq(auditLog.wikiId, demo.id));
    assert.ok(audit.some((a) => a.action === 'wiki.create' && a.target === 'demo'));
  });
  it('refuses a taken, reserved or malformed slug, and an unknown owner', async () => {
    await assert.rejects(createWiki(s.db, { slug: 'demo', ownerDid: BOB }, actor), isAppError('conflict'));
    await assert.rejects(createWiki(s.db, { slug: 'admin', ownerDid: BOB }, actor), isAppError('invalid'));
    await assert.rejects(createWiki(s.db, { slug: 'Bad Slug', ownerDid: BOB }, actor), isAppError('invalid'));
    await assert.rejects(createWiki(s.db, { slug: 'orphan', ownerDid: 'did:plc:zzzzzzzzzzzzzzzzzzzzzzzz' }, actor), isAppError('not_found'));
  });
});

describe('members', () => {
  it('adds, changes and lists members', async () => {
    await setMember(s.db, demo, BOB, 'viewer', actor);
    await setMember(s.db, demo, BOB, 'editor', actor);
    const list = await listMembers(s.db, demo.id);
    assert.deepEqual(list.map((m) => [m.handle, m.role]), [['alice.test.example', 'owner'], ['bob.test.example', 'editor']]);
  });
  it('keeps the owner an owner', async () => {
    await assert.rejects(setMember(s.db, demo, ALICE, 'viewer', actor), isAppError('conflict'));
    await assert.rejects(removeMember(s.db, demo, ALICE, actor), isAppError('conflict'));
  });
  it('says so when removing someone who is not a member', async () => {
    await assert.rejects(removeMember(s.db, demo, CAROL, actor), isAppError('not_found'));
  });
  it('revokes what a removed member authorised, so adding them back revives none of it', async () => {
    await setMember(s.db, demo, CAROL, 'editor', actor);
    await s.db.insert(oauthGrants).values({ id: 'grt_carol', wikiId: demo.id, userDid: CAROL, clientId: 'dcr_x', clientName: 'X', redirectUri: 'http://127.0.0.1/cb', scopes: 'read write', resource: 'https://demo.wiki.example/mcp', createdAt: Date.now() });
    const { token } = await mintPersonalAccessToken(s.db, { wiki: demo, userDid: CAROL, name: 'pat', scopes: ['read'], expiresAt: null }, actor);
    await removeMember(s.db, demo, CAROL, actor);
    await setMember(s.db, demo, CAROL, 'editor', actor);
    const [grant] = await s.db.select().from(oauthGrants).where(eq(oauthGrants.id, 'grt_carol'));
    assert.ok(grant?.revokedAt, 'the OAuth grant stays revoked');
    assert.equal(await verifyPersonalAccessToken(s.db, 'demo', token), null, 'the personal token too');
    await removeMember(s.db, demo, CAROL, actor);
  });
});

describe('personal access tokens', () => {
  it('are stored only as hashes and work only on their own wiki', async () => {
    await setMember(s.db, demo, BOB, 'editor', actor);
    const { id, token } = await mintPersonalAccessToken(s.db, { wiki: demo, userDid: BOB, name: 'laptop', scopes: ['read', 'write'], expiresAt: null }, actor);
    const [row] = await s.db.select().from(personalAccessTokens).where(eq(personalAccessTokens.id, id));
    assert.ok(row && row.tokenHash !== token && !row.tokenHash.includes(token.slice(6, 20)));
    const dump = JSON.stringify(await s.db.all(sql`select * from personal_access_tokens`)) + JSON.stringify(await s.db.all(sql`select * from audit_log`));
    assert.ok(!dump.includes(token), 'the secret appears nowhere in the store');

    const grant = await verifyPersonalAccessToken(s.db, 'demo', token);
    assert.deepEqual(grant && { slug: grant.slug, user: grant.userDid, scopes: grant.scopes }, { slug: 'demo', user: BOB, scopes: ['read', 'write'] });
    assert.equal(await verifyPersonalAccessToken(s.db, 'other', token), null, 'refused by another wiki');
    assert.equal(await verifyPersonalAccessToken(s.db, 'demo', token + 'x'), null);
    assert.equal(await verifyPersonalAccessToken(s.db, 'demo', 'garbage'), null);
    const [used] = await listPersonalAccessTokens(s.db, { wikiId: demo.id, userDid: BOB });
    assert.ok(used?.lastUsedAt && Date.now() - used.lastUsedAt < 10_000, 'last use recorded');
  });

  it('audit each mint once, without the secret', async () => {
    const { id } = await mintPersonalAccessToken(s.db, { wiki: demo, userDid: ALICE, name: 'audited', scopes: ['read'], expiresAt: null }, actor);
    const entries = await s.db.select().from(auditLog).where(eq(auditLog.target, id));
    assert.deepEqual(entries.map((e) => e.action), ['token.mint']);
    assert.ok(!JSON.stringify(entries).includes('wfpat_'));
  });

  it('give nothing when every scope they hold is beyond the holder\'s role now', async () => {
    await setMember(s.db, other, ALICE, 'editor', actor);
    const { token } = await mintPersonalAccessToken(s.db, { wiki: other, userDid: ALICE, name: 'w', scopes: ['write'], expiresAt: null }, actor);
    assert.deepEqual((await verifyPersonalAccessToken(s.db, 'other', token))?.scopes, ['write']);
    await setMember(s.db, other, ALICE, 'viewer', actor);
    assert.equal(await verifyPersonalAccessToken(s.db, 'other', token), null);
  });

  it('narrow to the role the holder has now, and die with membership', async () => {
    const { token } = await mintPersonalAccessToken(s.db, { wiki: demo, userDid: BOB, name: 'ci', scopes: ['read', 'write'], expiresAt: null }, actor);
    await setMember(s.db, demo, BOB, 'viewer', actor);
    assert.deepEqual((await verifyPersonalAccessToken(s.db, 'demo', token))?.scopes, ['read']);
    await removeMember(s.db, demo, BOB, actor);
    assert.equal(await verifyPersonalAccessToken(s.db, 'demo', token), null);
    await setMember(s.db, demo, BOB, 'editor', actor);
    assert.equal(await verifyPersonalAccessToken(s.db, 'demo', token), null, 'removal revoked it for good');
  });

  it('stop working when revoked or expired', async () => {
    const a = await mintPersonalAccessToken(s.db, { wiki: other, userDid: BOB, name: 'a', scopes: ['read'], expiresAt: null }, actor);
    await revokePersonalAccessToken(s.db, a.id, actor);
    assert.equal(await verifyPersonalAccessToken(s.db, 'other', a.token), null);
    const b = await mintPersonalAccessToken(s.db, { wiki: other, userDid: BOB, name: 'b', scopes: ['read'], expiresAt: Date.now() + 3_600_000 }, actor);
    assert.ok(await verifyPersonalAccessToken(s.db, 'other', b.token));
    await s.db.update(personalAccessTokens).set({ expiresAt: Date.now() - 1 }).where(eq(personalAccessTokens.id, b.id));
    assert.equal(await verifyPersonalAccessToken(s.db, 'other', b.token), null);
  });

  it('are refused to non-members and beyond the role', async () => {
    await assert.rejects(mintPersonalAccessToken(s.db, { wiki: other, userDid: CAROL, name: 'x', scopes: ['read'], expiresAt: null }, actor), isAppError('forbidden'));
    await setMember(s.db, other, CAROL, 'viewer', actor);
    await assert.rejects(mintPersonalAccessToken(s.db, { wiki: other, userDid: CAROL, name: 'x', scopes: ['write'], expiresAt: null }, actor), isAppError('forbidden'));
    await assert.rejects(mintPersonalAccessToken(s.db, { wiki: other, userDid: CAROL, name: '', scopes: ['read'], expiresAt: null }, actor), isAppError('invalid'));
    await assert.rejects(mintPersonalAccessToken(s.db, { wiki: other, userDid: CAROL, name: 'x', scopes: ['read'], expiresAt: Date.now() - 1 }, actor), isAppError('invalid'));
    await assert.rejects(mintPersonalAccessToken(s.db, { wiki: other, userDid: CAROL, name: 'x', scopes: ['read'], expiresAt: Number.NaN }, actor), isAppError('invalid'));
    await assert.rejects(mintPersonalAccessToken(s.db, { wiki: other, userDid: CAROL, name: 'x', scopes: [], expiresAt: null }, actor), isAppError('invalid'));
  });

  it('parse scopes strictly', () => {
    assert.deepEqual(parseScopes('read,write read'), ['read', 'write']);
    assert.throws(() => parseScopes('admin'), isAppError('invalid'));
    assert.throws(() => parseScopes(''), isAppError('invalid'));
  });
});
