/** What the platform's management adds to the directory: updates, deletion, ownership, quotas, sessions, accounts. Against a real sqld. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { atprotoOauthSessions, auditLog, members, pages, pageTexts, personalAccessTokens, sessions, users, wikiRepos, wikis } from '../../../db/schema.ts';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { buildMatchQuery } from '../../wiki/search/match-query.ts';
import { fullTextStatements } from '../../wiki/index/full-text-rows.ts';
import { runBatch } from '../db.ts';
import { AppError } from '../errors.ts';
import { DEFAULT_MAX_OWNED_WIKIS } from '../limits/wiki-quota.ts';
import { deleteAccount, ownedWikis, type OwnedWikiFate } from './accounts.ts';
import type { Actor } from './audit.ts';
import { isForeignKeyFailure } from './guard.ts';
import { getRole, setMember } from './members.ts';
import { transferOwnership } from './ownership.ts';
import { mintPersonalAccessToken } from './personal-access-tokens.ts';
import { createSession, listActiveSessions, revokeOwnSession } from './sessions.ts';
import { upsertUser } from './users.ts';
import { createWiki, deleteWiki, listWikisForUser, ownedWikiAllowance, requireWiki, takenSlugs, updateWiki } from './wikis.ts';

const ANN = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BEN = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const CAT = 'did:plc:cccccccccccccccccccccccc';
const DAN = 'did:plc:dddddddddddddddddddddddd';
const as = (did: string): Actor => ({ kind: 'user', did });

function isAppError(code: string) {
  return (e: unknown) => e instanceof AppError && e.code === code;
}

let s: TestSqld;

before(async () => {
  s = await startTestSqld();
  for (const [did, handle] of [[ANN, 'ann.test.example'], [BEN, 'ben.test.example'], [CAT, 'cat.test.example'], [DAN, 'dan.test.example']] as const) {
    await upsertUser(s.db, { did, handle }, { kind: 'cli' });
  }
});
after(() => s.stop());

describe('wiki settings and deletion', () => {
  it('updates title, description, visibility and git access, auditing only what changed', async () => {
    const wiki = await createWiki(s.db, { slug: 'tuned', ownerDid: ANN }, as(ANN));
    const updated = await updateWiki(s.db, wiki, { title: ' New title ', description: 'About', visibility: 'public', gitAccess: false }, as(ANN));
    assert.deepEqual([updated.title, updated.description, updated.visibility, updated.gitAccess, updated.slug], ['New title', 'About', 'public', false, 'tuned']);
    assert.equal(await updateWiki(s.db, updated, { title: 'New title' }, as(ANN)), updated, 'nothing changed: no write');
    const audit = await s.db.select().from(auditLog).where(eq(auditLog.action, 'wiki.update'));
    assert.equal(audit.length, 1);
    assert.deepEqual(JSON.parse(audit[0]!.detail!), { title: 'New title', description: 'About', visibility: 'public', gitAccess: false });
    await assert.rejects(updateWiki(s.db, updated, { title: '' }, as(ANN)), isAppError('invalid'));
    await assert.rejects(updateWiki(s.db, updated, { visibility: 'secret' as never }, as(ANN)), isAppError('invalid'));
    await assert.rejects(updateWiki(s.db, updated, { description: 'x'.repeat(1001) }, as(ANN)), isAppError('invalid'));
  });

  it('deletes a wiki with its members, tokens and index rows', async () => {
    const wiki = await createWiki(s.db, { slug: 'doomed', ownerDid: ANN }, as(ANN));
    await setMember(s.db, wiki, BEN, 'editor', as(ANN));
    await mintPersonalAccessToken(s.db, { wiki, userDid: BEN, name: 't', scopes: ['read'], expiresAt: null }, as(BEN));
    await s.db.insert(wikiRepos).values({ wikiId: wiki.id, headCommit: 'a'.repeat(40), indexedCommit: 'a'.repeat(40), updatedAt: 1 });
    await s.db.insert(pages).values({ wikiId: wiki.id, path: 'Home', filePath: 'Home.md', title: 'Home', size: 10, blobOid: 'b'.repeat(40), updatedCommit: 'a'.repeat(40), updatedAt: 1, updatedBy: 'x' });
    await runBatch(s.db, fullTextStatements(s.db, wiki.id, 'Home', 'Home', 'welcome home'));
    const fullText = sql`select rowid from pages_fts where pages_fts match ${buildMatchQuery(wiki.id, 'welcome')}`;
    assert.equal((await s.db.all(fullText)).length, 1);
    await deleteWiki(s.db, wiki, as(ANN));
    for (const [table, column] of [[members, members.wikiId], [personalAccessTokens, personalAccessTokens.wikiId], [wikiRepos, wikiRepos.wikiId], [pages, pages.wikiId]] as const) {
      assert.equal((await s.db.select().from(table).where(eq(column, wiki.id))).length, 0);
    }
    assert.equal((await s.db.all(fullText)).length, 0);
    assert.equal((await s.db.select().from(pageTexts)).length, 0);
    assert.ok((await s.db.select().from(auditLog).where(eq(auditLog.wikiId, wiki.id))).some((a) => a.action === 'wiki.delete'), 'the audit log keeps the story');
    await assert.rejects(deleteWiki(s.db, wiki, as(ANN)), isAppError('not_found'));
  });

  it('lists the wikis a person is a member of, with their role and the owner', async () => {
    const wiki = await createWiki(s.db, { slug: 'listed', ownerDid: BEN }, as(BEN));
    await setMember(s.db, wiki, CAT, 'viewer', as(BEN));
    const cats = await listWikisForUser(s.db, CAT);
    assert.deepEqual(cats.map((w) => [w.wiki.slug, w.role, w.ownerHandle, w.memberCount]), [['listed', 'viewer', 'ben.test.example', 2]]);
    assert.deepEqual(await listWikisForUser(s.db, DAN), []);
    assert.deepEqual([...(await takenSlugs(s.db, ['listed', 'free-one']))], ['listed']);
  });
});

describe('owned-wiki quota', () => {
  it('refuses a wiki beyond users.max_wikis (default when null), even for concurrent creations', async () => {
    assert.deepEqual(await ownedWikiAllowance(s.db, DAN), { owned: 0, max: DEFAULT_MAX_OWNED_WIKIS });
    await s.db.update(users).set({ maxWikis: 2 }).where(eq(users.did, DAN));
    const results = await Promise.allSettled(['dan-a', 'dan-b', 'dan-c', 'dan-d'].map((slug) => createWiki(s.db, { slug, ownerDid: DAN }, as(DAN), { enforceOwnerQuota: true })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    for (const r of results) if (r.status === 'rejected') assert.ok(isAppError('forbidden')(r.reason), String(r.reason));
    assert.deepEqual(await ownedWikiAllowance(s.db, DAN), { owned: 2, max: 2 });
    await createWiki(s.db, { slug: 'dan-cli', ownerDid: DAN }, { kind: 'cli' }); // the admin CLI is not held to it
  });
});

describe('ownership', () => {
  it('goes only to an admin; the old owner stays an admin', async () => {
    const wiki = await createWiki(s.db, { slug: 'handed', ownerDid: ANN }, as(ANN));
    await setMember(s.db, wiki, BEN, 'editor', as(ANN));
    await assert.rejects(transferOwnership(s.db, wiki, BEN, as(ANN)), isAppError('conflict'));
    await assert.rejects(transferOwnership(s.db, wiki, CAT, as(ANN)), isAppError('conflict'), 'not a member');
    await setMember(s.db, wiki, BEN, 'admin', as(ANN));
    await transferOwnership(s.db, wiki, BEN, as(ANN));
    const now = await requireWiki(s.db, 'handed');
    assert.equal(now.ownerDid, BEN);
    assert.equal(await getRole(s.db, wiki.id, BEN), 'owner');
    assert.equal(await getRole(s.db, wiki.id, ANN), 'admin');
    // A stale copy of the wiki (Ann no longer owns it) cannot hand it on.
    await assert.rejects(transferOwnership(s.db, wiki, ANN, as(ANN)), isAppError('conflict'));
  });
});

describe('sessions', () => {
  it('lists only active sessions, and revokes only one of your own', async () => {
    const a = await createSession(s.db, CAT, { userAgent: 'Firefox' }, as(CAT));
    const b = await createSession(s.db, CAT, { userAgent: 'Chromium' }, as(CAT));
    const old = await createSession(s.db, CAT, { ttlMs: 1 }, as(CAT));
    await new Promise((r) => setTimeout(r, 5));
    const listed = await listActiveSessions(s.db, CAT);
    assert.deepEqual(new Set(listed.map((x) => x.id)), new Set([a.id, b.id]));
    assert.ok(!listed.some((x) => x.id === old.id));
    await assert.rejects(revokeOwnSession(s.db, BEN, a.id, as(BEN)), isAppError('not_found'), "someone else's session");
    await revokeOwnSession(s.db, CAT, a.id, as(CAT));
    await assert.rejects(revokeOwnSession(s.db, CAT, a.id, as(CAT)), isAppError('not_found'), 'already revoked');
    assert.deepEqual((await listActiveSessions(s.db, CAT)).map((x) => x.id), [b.id]);
    const audits = await s.db.select().from(auditLog).where(eq(auditLog.target, a.id));
    assert.deepEqual(audits.map((x) => x.action), ['session.revoke'], 'only the revocation that happened is audited');
  });
});

describe('account deletion', () => {
  it('needs a fate for every owned wiki, and transfers only to admins', async () => {
    const did = 'did:plc:eeeeeeeeeeeeeeeeeeeeeeee';
    await upsertUser(s.db, { did, handle: 'eve.test.example' }, { kind: 'cli' });
    const w = await createWiki(s.db, { slug: 'eves', ownerDid: did }, as(did));
    await setMember(s.db, w, BEN, 'editor', as(did));
    await assert.rejects(deleteAccount(s.db, did, new Map(), as(did)), isAppError('invalid'));
    await assert.rejects(deleteAccount(s.db, did, new Map([[w.id, { action: 'transfer', toDid: BEN }]]), as(did)), isAppError('invalid'));
    assert.ok((await s.db.select().from(users).where(eq(users.did, did))).length === 1, 'nothing happened');
  });

  it('deletes some wikis, hands others to admins, and removes everything of the person', async () => {
    const did = 'did:plc:ffffffffffffffffffffffff';
    await upsertUser(s.db, { did, handle: 'fay.test.example' }, { kind: 'cli' });
    const kept = await createWiki(s.db, { slug: 'fays-kept', ownerDid: did }, as(did));
    const gone = await createWiki(s.db, { slug: 'fays-gone', ownerDid: did }, as(did));
    const other = await requireWiki(s.db, 'listed');
    await setMember(s.db, kept, CAT, 'admin', as(did));
    await setMember(s.db, other, did, 'editor', as(BEN));
    await mintPersonalAccessToken(s.db, { wiki: other, userDid: did, name: 'x', scopes: ['read'], expiresAt: null }, as(did));
    await createSession(s.db, did, {}, as(did));
    await s.db.insert(atprotoOauthSessions).values({ did, value: 'sealed', updatedAt: 1 });

    const fates = new Map<string, OwnedWikiFate>([[kept.id, { action: 'transfer', toDid: CAT }], [gone.id, { action: 'delete' }]]);
    const result = await deleteAccount(s.db, did, fates, as(did));
    assert.deepEqual(result.deletedWikis.map((w) => w.slug), ['fays-gone']);
    assert.equal((await requireWiki(s.db, 'fays-kept')).ownerDid, CAT);
    assert.equal(await getRole(s.db, kept.id, CAT), 'owner');
    assert.equal(await getRole(s.db, kept.id, did), null);
    await assert.rejects(requireWiki(s.db, 'fays-gone'), isAppError('not_found'));
    for (const [table, column] of [[users, users.did], [members, members.userDid], [sessions, sessions.userDid], [personalAccessTokens, personalAccessTokens.userDid], [atprotoOauthSessions, atprotoOauthSessions.did]] as const) {
      assert.equal((await s.db.select().from(table).where(eq(column, did))).length, 0);
    }
    assert.deepEqual(await ownedWikis(s.db, did), []);
    assert.ok((await s.db.select().from(auditLog).where(eq(auditLog.target, did))).some((a) => a.action === 'user.delete'));
  });

  it('cannot orphan a wiki: the store refuses to delete a person who still owns one', async () => {
    // deleteAccount's last statement relies on this when a wiki appears between its read and its write.
    const did = 'did:plc:gggggggggggggggggggggggg';
    await upsertUser(s.db, { did, handle: 'gus.test.example' }, { kind: 'cli' });
    await createWiki(s.db, { slug: 'gus-wiki', ownerDid: did }, as(did));
    await assert.rejects(s.db.delete(users).where(eq(users.did, did)), isForeignKeyFailure);
    assert.equal((await s.db.select().from(wikis).where(eq(wikis.ownerDid, did))).length, 1);
  });
});
