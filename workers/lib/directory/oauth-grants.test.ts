/** Connected clients (OAuth grants) as the platform lists and revokes them, against a real sqld. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { auditLog, oauthGrants, oauthTokens } from '../../../db/schema.ts';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { AppError } from '../errors.ts';
import { hashSecret, newId, randomSecret } from '../tokens.ts';
import type { Actor } from './audit.ts';
import { setMember } from './members.ts';
import { listActiveGrants, redirectHostOf, revokeGrant } from './oauth-grants.ts';
import { upsertUser } from './users.ts';
import { createWiki, type Wiki } from './wikis.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const cli: Actor = { kind: 'cli' };
const HOUR = 3_600_000;

let s: TestSqld;
let demo: Wiki;
let other: Wiki;

before(async () => {
  s = await startTestSqld();
  await upsertUser(s.db, { did: ALICE, handle: 'alice.test.example', displayName: 'Alice' }, cli);
  await upsertUser(s.db, { did: BOB, handle: 'bob.test.example' }, cli);
  demo = await createWiki(s.db, { slug: 'demo', ownerDid: ALICE }, cli);
  other = await createWiki(s.db, { slug: 'other', ownerDid: ALICE }, cli);
  await setMember(s.db, demo, BOB, 'editor', cli);
});
after(() => s.stop());

/** A grant with one token of `kind` expiring at `expiresAt` (none when null); returns its id and the token. */
async function grant(o: { wiki?: Wiki; user?: string; name?: string; redirect?: string; scopes?: string; createdAt?: number; revokedAt?: number | null; kind?: 'access' | 'refresh'; expiresAt?: number | null }) {
  const wiki = o.wiki ?? demo;
  const id = newId('grt', 24);
  const token = `wfat_${randomSecret(32)}`;
  await s.db.insert(oauthGrants).values({
    id,
    wikiId: wiki.id,
    userDid: o.user ?? ALICE,
    clientId: 'https://claude.ai/oauth/mcp-oauth-client-metadata',
    clientName: o.name ?? 'Claude',
    redirectUri: o.redirect ?? 'https://claude.ai/api/mcp/auth_callback',
    scopes: o.scopes ?? 'read write',
    resource: `http://${wiki.slug}.wiki.localhost/mcp`,
    createdAt: o.createdAt ?? Date.now(),
    revokedAt: o.revokedAt ?? null,
  });
  if (o.expiresAt !== null) {
    await s.db.insert(oauthTokens).values({ tokenHash: await hashSecret(token), grantId: id, wikiId: wiki.id, kind: o.kind ?? 'access', scopes: o.scopes ?? 'read write', createdAt: Date.now(), expiresAt: o.expiresAt ?? Date.now() + HOUR });
  }
  return { id, token };
}

describe('listing connected clients', () => {
  it("lists a wiki's active grants, newest first, with who authorised them; not revoked, lapsed or other wikis' ones", async () => {
    const now = Date.now();
    const older = await grant({ name: 'Claude', createdAt: now - 2 * HOUR });
    const bobs = await grant({ user: BOB, name: 'Claude Code', redirect: 'http://localhost:54321/callback', scopes: 'read', createdAt: now - HOUR });
    const refreshOnly = await grant({ name: 'Refreshing', kind: 'refresh', expiresAt: now + 30 * 24 * HOUR, createdAt: now - 3 * HOUR });
    await grant({ name: 'Revoked', revokedAt: now - 1 });
    await grant({ name: 'Lapsed', expiresAt: now - 1 });
    await grant({ name: 'Tokenless', expiresAt: null });
    await grant({ name: 'Elsewhere', wiki: other });

    const all = await listActiveGrants(s.db, { wikiId: demo.id });
    assert.deepEqual(all.map((g) => g.id), [bobs.id, older.id, refreshOnly.id]);
    const b = all[0]!;
    assert.deepEqual(
      [b.clientName, b.clientId, b.redirectHost, b.userDid, b.handle, b.displayName, b.scopes, b.lastUsedAt],
      ['Claude Code', 'https://claude.ai/oauth/mcp-oauth-client-metadata', 'localhost:54321', BOB, 'bob.test.example', null, ['read'], null],
    );
    assert.deepEqual([all[1]!.handle, all[1]!.displayName, all[1]!.redirectHost, all[1]!.scopes], ['alice.test.example', 'Alice', 'claude.ai', ['read', 'write']]);

    assert.deepEqual((await listActiveGrants(s.db, { wikiId: demo.id, userDid: BOB })).map((g) => g.id), [bobs.id], "one person's own");
    assert.deepEqual((await listActiveGrants(s.db, { wikiId: other.id })).map((g) => g.clientName), ['Elsewhere']);
  });

  it('shows a redirect URI that does not parse as it is', () => {
    assert.equal(redirectHostOf('http://127.0.0.1:9/cb'), '127.0.0.1:9');
    assert.equal(redirectHostOf('not a url'), 'not a url');
  });
});

describe('revoking a connected client', () => {
  it('marks the grant revoked, drops it from the list, and audits it once', async () => {
    const g = await grant({ name: 'To revoke' });
    // (That the wiki then refuses its access token at once is shown over HTTP in test/integration/platform-api.test.ts.)
    await revokeGrant(s.db, demo.id, g.id, { kind: 'user', did: ALICE, requestId: 'req-1' });
    assert.ok(!(await listActiveGrants(s.db, { wikiId: demo.id })).some((x) => x.id === g.id));
    const [row] = await s.db.select().from(oauthGrants).where(eq(oauthGrants.id, g.id));
    assert.ok(row?.revokedAt);

    await revokeGrant(s.db, demo.id, g.id, { kind: 'user', did: ALICE }); // again: nothing changes
    const audit = await s.db.select().from(auditLog).where(and(eq(auditLog.action, 'grant.revoke'), eq(auditLog.target, g.id)));
    assert.equal(audit.length, 1);
    assert.deepEqual([audit[0]!.actorDid, audit[0]!.actorKind, audit[0]!.wikiId, audit[0]!.requestId], [ALICE, 'user', demo.id, 'req-1']);
    assert.deepEqual(JSON.parse(audit[0]!.detail!), { client_id: 'https://claude.ai/oauth/mcp-oauth-client-metadata', client_name: 'To revoke', user: ALICE });
  });

  it("refuses unknown ids and another wiki's grants", async () => {
    const elsewhere = await grant({ wiki: other });
    for (const id of ['grt_nope', elsewhere.id]) {
      await assert.rejects(revokeGrant(s.db, demo.id, id, cli), (e: unknown) => e instanceof AppError && e.code === 'not_found', id);
    }
    const [row] = await s.db.select().from(oauthGrants).where(eq(oauthGrants.id, elsewhere.id));
    assert.equal(row?.revokedAt, null, 'untouched');
  });
});
