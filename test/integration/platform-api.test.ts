/**
 * The management API over HTTP against the real stack: every call, as the
 * people it is for and as the people it is not for (no or forged
 * credentials, missing or wrong CSRF token, a sibling wiki's Origin,
 * non-members, viewers and admins reaching beyond their role, tokens of
 * another wiki or without write), bad and reserved names, quotas and rate
 * limits. Connected apps (OAuth grants): listed by role, revoked, and refused
 * by the wiki at once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { auditLog, users } from '../../db/schema.ts';
import { ApiClient, connectApp, expectStatus, signIn, storeOf, type ConnectedApp, type SignedIn } from '../helpers/platform.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
let alice: SignedIn; // owner of "alpha"
let bob: SignedIn; // admin of alpha, later its owner
let carol: SignedIn; // editor of alpha
let dave: SignedIn; // viewer of alpha
let erin: SignedIn; // member of nothing

const did = (c: string): string => `did:plc:${c.repeat(24)}`;
const as = (who: SignedIn | null, overrides: { origin?: string | null; csrf?: string | null } = {}): ApiClient => ApiClient.as(t, who, overrides);
const pat = (token: string): ApiClient => ApiClient.withToken(t, token);

before(async () => {
  t = await startTestStack();
  [alice, bob, carol, dave, erin] = await Promise.all([
    signIn(t, did('a'), 'alice.example.com', ['--name', 'Alice']),
    signIn(t, did('b'), 'bob.example.com'),
    signIn(t, did('c'), 'carol.example.com'),
    signIn(t, did('d'), 'dave.example.com'),
    signIn(t, did('e'), 'erin.example.com'),
  ]);
});
after(() => t?.stop());

describe('signing in to the API', () => {
  it('refuses calls without credentials, with a forged session, or a malformed or unknown token', async () => {
    expectStatus(await as(null).get('/api/wikis'), 401);
    expectStatus(await as(null).get('/api/me'), 401);
    expectStatus(await ApiClient.as(t, { ...alice, token: `${alice.token.slice(0, -4)}AAAA` }).get('/api/wikis'), 401);
    expectStatus(await new ApiClient(t, { pat: 'not a token!' }).get('/api/wikis/alpha'), 401);
    expectStatus(await pat('wfpat_unknown').get('/api/wikis/alpha'), 401);
  });

  it('shows who is signed in, with the CSRF token for cookie-authenticated writes', async () => {
    const me = await as(alice).get('/api/me');
    expectStatus(me, 200);
    assert.deepEqual([me.body.did, me.body.handle, me.body.display_name, me.body.is_platform_admin], [alice.did, 'alice.example.com', 'Alice', false]);
    assert.equal(me.body.csrf_token, alice.csrf);
  });

  it('answers unknown calls with a JSON 404', async () => {
    const res = await as(alice).get('/api/nothing-here');
    expectStatus(res, 404);
    assert.equal(res.body.error, 'not_found');
  });
});

describe('wikis', () => {
  it('creates a wiki owned by the caller, with its addresses', async () => {
    const res = await as(alice).post('/api/wikis', { slug: 'alpha', title: 'Alpha', description: 'First', visibility: 'private' });
    expectStatus(res, 201);
    const origin = new URL(t.url('/')).origin;
    assert.equal(res.body.slug, 'alpha');
    assert.equal(res.body.role, 'owner');
    assert.deepEqual(res.body.urls, {
      wiki: t.url('/', 'alpha'),
      mcp: t.url('/mcp', 'alpha'),
      git: `http://x-token:TOKEN@alpha.${new URL(origin).host}/.git`,
    });
    expectStatus(await as(alice).post('/api/wikis', { slug: 'beta', visibility: 'public' }), 201);
  });

  it('refuses state changes made with the cookie but without the CSRF token, with a wrong one, or from another origin', async () => {
    const sibling = new URL(t.url('/', 'evil')).origin;
    for (const [what, client] of [
      ['no token', as(alice, { csrf: null })],
      ['wrong token', as(alice, { csrf: 'x'.repeat(43) })],
      ["another user's token", as(alice, { csrf: bob.csrf })],
      ['a sibling wiki origin', as(alice, { origin: sibling })],
      ['another site', as(alice, { origin: 'https://evil.example' })],
      ['no origin at all', as(alice, { origin: null })],
    ] as const) {
      const res = await client.post('/api/wikis', { slug: 'forged' });
      expectStatus(res, 403, what);
      assert.equal(res.body.error, 'forbidden');
      expectStatus(await client.delete('/api/wikis/beta', { confirm: 'beta' }), 403, `${what} (delete)`);
    }
    expectStatus(await as(alice).get('/api/wikis/forged'), 404, 'nothing was made');
    expectStatus(await as(alice).get('/api/wikis/beta'), 200, 'nothing was deleted');
  });

  it('refuses bad, reserved and taken names, and bodies that are not JSON', async () => {
    for (const slug of ['ab', 'a'.repeat(31), 'Bad Slug', '-edge', 'edge-', 'two--hyphens', 'under_score', 'dot.name', '']) {
      const res = await as(alice).post('/api/wikis', { slug });
      expectStatus(res, 400, slug);
      assert.equal(res.body.error, 'invalid');
    }
    for (const slug of ['www', 'api', 'mcp', 'auth', 'admin', 'app', 'static', 'mail']) {
      const res = await as(alice).post('/api/wikis', { slug });
      expectStatus(res, 400, slug);
      assert.match(String(res.body.message), /reserved/);
    }
    const taken = await as(bob).post('/api/wikis', { slug: 'alpha' });
    expectStatus(taken, 409);
    assert.equal(taken.body.error, 'conflict');
    expectStatus(await as(alice).post('/api/wikis', { slug: 'ok-name', visibility: 'secret' }), 400);
    const res = await t.fetch(t.url('/api/wikis'), {
      method: 'POST',
      headers: { cookie: `wf_session=${alice.token}`, 'x-csrf-token': alice.csrf, origin: new URL(t.url('/')).origin, 'content-type': 'text/plain' },
      body: 'slug=sneaky',
    });
    assert.equal(res.status, 400);
  });

  it('lists your wikis with your role, and shows a wiki to its members only', async () => {
    const list = await as(alice).get('/api/wikis');
    expectStatus(list, 200);
    assert.deepEqual((list.body.wikis as { slug: string; role: string }[]).map((w) => [w.slug, w.role]), [['alpha', 'owner'], ['beta', 'owner']]);
    expectStatus(await as(alice).get('/api/wikis/alpha'), 200);
    const stranger = await as(erin).get('/api/wikis/alpha');
    expectStatus(stranger, 403);
    assert.equal(stranger.body.error, 'forbidden');
    expectStatus(await as(erin).get('/api/wikis/beta'), 403, 'public wikis too: management data is for members');
    expectStatus(await as(erin).get('/api/wikis/no-such-wiki'), 404);
    assert.deepEqual((await as(erin).get('/api/wikis')).body.wikis, []);
  });
});

describe('collaborators', () => {
  it('adds people by handle (or DID) with a role', async () => {
    for (const [who, role] of [['bob.example.com', 'admin'], ['@Carol.Example.com', 'editor'], [dave.did, 'viewer']] as const) {
      const res = await as(alice).post('/api/wikis/alpha/members', { who, role });
      expectStatus(res, 201, who);
      assert.equal(res.body.role, role);
    }
    const list = await as(dave).get('/api/wikis/alpha/members');
    expectStatus(list, 200);
    assert.deepEqual(
      (list.body.members as { handle: string; role: string }[]).map((m) => [m.handle, m.role]),
      [['alice.example.com', 'owner'], ['bob.example.com', 'admin'], ['carol.example.com', 'editor'], ['dave.example.com', 'viewer']],
    );
    assert.equal((await as(bob).get('/api/wikis')).body.wikis instanceof Array, true);
  });

  it('says so for unknown people, current members, and roles that do not exist', async () => {
    expectStatus(await as(alice).post('/api/wikis/alpha/members', { who: 'nobody.example.com', role: 'editor' }), 404);
    expectStatus(await as(alice).post('/api/wikis/alpha/members', { who: 'carol.example.com', role: 'viewer' }), 409);
    expectStatus(await as(alice).post('/api/wikis/alpha/members', { who: 'erin.example.com', role: 'superuser' }), 400);
    expectStatus(await as(alice).post('/api/wikis/alpha/members', { who: 'not a handle', role: 'editor' }), 400);
  });

  it('lets neither viewers, editors nor non-members manage', async () => {
    for (const who of [dave, carol]) {
      expectStatus(await as(who).post('/api/wikis/alpha/members', { who: 'erin.example.com', role: 'viewer' }), 403, who.handle);
      expectStatus(await as(who).patch(`/api/wikis/alpha/members/${bob.did}`, { role: 'viewer' }), 403, who.handle);
      expectStatus(await as(who).delete(`/api/wikis/alpha/members/${bob.did}`), 403, who.handle);
      expectStatus(await as(who).patch('/api/wikis/alpha', { title: 'Mine now' }), 403, who.handle);
    }
    expectStatus(await as(erin).get('/api/wikis/alpha/members'), 403);
    expectStatus(await as(erin).post('/api/wikis/alpha/members', { who: 'erin.example.com', role: 'admin' }), 403);
  });

  it('lets an admin manage everyone but the owner, and make nobody owner', async () => {
    const demote = await as(bob).patch(`/api/wikis/alpha/members/${alice.did}`, { role: 'viewer' });
    expectStatus(demote, 403);
    expectStatus(await as(bob).delete(`/api/wikis/alpha/members/${alice.did}`), 403);
    expectStatus(await as(bob).patch('/api/wikis/alpha/members/carol.example.com', { role: 'owner' }), 403);
    expectStatus(await as(bob).post('/api/wikis/alpha/members', { who: 'erin.example.com', role: 'owner' }), 403);
    const changed = await as(bob).patch('/api/wikis/alpha/members/carol.example.com', { role: 'viewer' });
    expectStatus(changed, 200);
    assert.equal(changed.body.role, 'viewer');
    expectStatus(await as(bob).patch(`/api/wikis/alpha/members/${carol.did}`, { role: 'editor' }), 200);
    expectStatus(await as(bob).patch('/api/wikis/alpha/members/erin.example.com', { role: 'editor' }), 404, 'not a member');
    expectStatus(await as(alice).patch(`/api/wikis/alpha/members/${alice.did}`, { role: 'admin' }), 403, 'the owner too stays owner');
  });

  it('lets the owner change settings, and admins too', async () => {
    const res = await as(bob).patch('/api/wikis/alpha', { title: 'Alpha Wiki', description: 'Shared notes', visibility: 'public', git_access: false });
    expectStatus(res, 200);
    assert.deepEqual([res.body.title, res.body.description, res.body.visibility, res.body.git_access, res.body.slug], ['Alpha Wiki', 'Shared notes', 'public', false, 'alpha']);
    expectStatus(await as(alice).patch('/api/wikis/alpha', { visibility: 'private', git_access: true }), 200);
    expectStatus(await as(alice).patch('/api/wikis/alpha', { slug: 'renamed' }), 400, 'a slug never changes');
    expectStatus(await as(alice).patch('/api/wikis/alpha', { title: '' }), 400);
  });
});

let aliceRead: string;
let aliceWrite: string;
let carolWrite: string;
let carolTokenId: string;

describe('personal access tokens', () => {
  it('are minted by members for themselves, never wider than their role, and shown once', async () => {
    const res = await as(carol).post('/api/wikis/alpha/tokens', { name: 'laptop', scopes: ['read', 'write'], expires_in_days: 30 });
    expectStatus(res, 201);
    assert.match(String(res.body.token), /^wfpat_/);
    assert.deepEqual(res.body.scopes, ['read', 'write']);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    carolWrite = String(res.body.token);
    carolTokenId = String(res.body.id);
    const listed = await as(carol).get('/api/wikis/alpha/tokens');
    expectStatus(listed, 200);
    assert.ok(!JSON.stringify(listed.body).includes(carolWrite), 'the secret is never listed');
    assert.deepEqual((listed.body.tokens as { id: string }[]).map((x) => x.id), [carolTokenId]);
    assert.equal(listed.body.others, null, 'an editor sees only their own');

    expectStatus(await as(dave).post('/api/wikis/alpha/tokens', { name: 'w', scopes: ['write'], expires_in_days: null }), 403, 'a viewer cannot write');
    expectStatus(await as(dave).post('/api/wikis/alpha/tokens', { name: 'r', scopes: ['read'], expires_in_days: null }), 201);
    expectStatus(await as(erin).post('/api/wikis/alpha/tokens', { name: 'x', scopes: ['read'] }), 403, 'non-member');
    expectStatus(await as(carol).post('/api/wikis/alpha/tokens', { name: '', scopes: ['read'] }), 400);
    expectStatus(await as(carol).post('/api/wikis/alpha/tokens', { name: 'x', scopes: ['admin'] }), 400);
    expectStatus(await as(carol).post('/api/wikis/alpha/tokens', { name: 'x', scopes: ['read'], expires_in_days: 0 }), 400);

    aliceRead = String((await as(alice).post('/api/wikis/alpha/tokens', { name: 'reader', scopes: ['read'] })).body.token);
    aliceWrite = String((await as(alice).post('/api/wikis/alpha/tokens', { name: 'writer', scopes: ['read', 'write'] })).body.token);
    const all = await as(alice).get('/api/wikis/alpha/tokens');
    assert.deepEqual((all.body.others as { holder: { handle: string } }[]).map((x) => x.holder.handle).sort(), ['carol.example.com', 'dave.example.com'], 'the owner sees everyone\'s');
  });

  it('work on the wiki host as their holder', async () => {
    const res = await t.fetch(t.url('/api/v1/pages', 'alpha'), { headers: { authorization: `Bearer ${carolWrite}` } });
    assert.equal(res.status, 200);
  });

  it("read their wiki's management data with read, and change it only with write held by an owner or admin", async () => {
    const got = await pat(aliceRead).get('/api/wikis/alpha');
    expectStatus(got, 200);
    assert.equal(got.body.role, 'owner');
    expectStatus(await pat(aliceRead).get('/api/wikis/alpha/members'), 200);
    expectStatus(await pat(aliceRead).patch('/api/wikis/alpha', { title: 'By a read token' }), 403, 'read-only token');
    expectStatus(await pat(aliceRead).post('/api/wikis/alpha/members', { who: 'erin.example.com', role: 'viewer' }), 403, 'read-only token');
    expectStatus(await pat(carolWrite).patch('/api/wikis/alpha', { title: 'By an editor' }), 403, 'write token of an editor');
    const changed = await pat(aliceWrite).patch('/api/wikis/alpha', { description: 'Changed by a token' });
    expectStatus(changed, 200, 'write token of the owner, with no CSRF token: bearer tokens are not ambient');
    const audit = storeOf(t);
    try {
      const [entry] = await audit.db.select().from(auditLog).where(eq(auditLog.action, 'wiki.update')).orderBy(desc(auditLog.id)).limit(1);
      assert.deepEqual([entry?.actorKind, entry?.actorDid], ['token', alice.did]);
    } finally {
      audit.close();
    }
  });

  it('are refused by every other wiki and by account-level calls, and cannot mint tokens', async () => {
    expectStatus(await pat(aliceWrite).get('/api/wikis/beta'), 401, 'another wiki of the same person');
    expectStatus(await pat(aliceWrite).patch('/api/wikis/beta', { title: 'x' }), 401);
    expectStatus(await pat(aliceWrite).get('/api/wikis'), 403);
    expectStatus(await pat(aliceWrite).get('/api/account/sessions'), 403);
    expectStatus(await pat(aliceWrite).post('/api/wikis', { slug: 'by-token' }), 403);
    expectStatus(await pat(aliceWrite).post('/api/wikis/alpha/tokens', { name: 'child', scopes: ['read'] }), 403);
  });

  it('are revoked by their holder, or by an owner or admin, and then stop working at once', async () => {
    const listed = await as(bob).get('/api/wikis/alpha/tokens');
    const daves = (listed.body.others as { id: string; holder: { handle: string } }[]).find((x) => x.holder.handle === 'dave.example.com');
    assert.ok(daves);
    expectStatus(await as(dave).delete(`/api/wikis/alpha/tokens/${carolTokenId}`), 403, "a viewer revoking someone else's");
    expectStatus(await as(carol).delete(`/api/wikis/alpha/tokens/${carolTokenId}`), 204);
    expectStatus(await as(bob).delete(`/api/wikis/alpha/tokens/${daves.id}`), 204, 'an admin revokes anyone\'s');
    expectStatus(await as(bob).delete('/api/wikis/alpha/tokens/pat_doesnotexist'), 404);
    const res = await t.fetch(t.url('/api/v1/pages', 'alpha'), { headers: { authorization: `Bearer ${carolWrite}` } });
    assert.equal(res.status, 401, 'no lag: the wiki worker forgot the grant');
  });
});

describe('connected apps', () => {
  type Connection = { id: string; client_name: string; client_id: string; redirect_host: string; user: { did: string; handle: string; display_name: string | null }; scopes: string[]; created_at: string; last_used_at: string | null };
  const listed = async (who: SignedIn): Promise<Connection[]> => {
    const res = await as(who).get('/api/wikis/alpha/connections');
    expectStatus(res, 200, who.handle);
    return res.body.connections as Connection[];
  };
  const wikiStatus = async (accessToken: string): Promise<number> => {
    const res = await t.fetch(t.url('/api/v1/pages', 'alpha'), { headers: { authorization: `Bearer ${accessToken}` } });
    await res.text();
    return res.status;
  };
  let carols: ConnectedApp;
  let daves: ConnectedApp;
  let alices: ConnectedApp;

  it('are listed for owners and admins in full, and to other members only their own; never a secret', async () => {
    alices = await connectApp(t, 'alpha', alice.did, { name: 'Claude' });
    carols = await connectApp(t, 'alpha', carol.did, { name: 'Claude Code', clientId: 'https://claude.ai/oauth/claude-code-client-metadata', redirectUri: 'http://localhost:54321/callback' });
    daves = await connectApp(t, 'alpha', dave.did, { name: 'Reader', clientId: 'dcr_reader', redirectUri: 'https://reader.example/cb', scopes: 'read' });
    await connectApp(t, 'beta', alice.did, { name: 'Elsewhere' });

    for (const who of [alice, bob]) {
      assert.deepEqual((await listed(who)).map((c) => c.client_name), ['Reader', 'Claude Code', 'Claude'], who.handle);
    }
    const [carolsOwn, ...none] = await listed(carol);
    assert.deepEqual(none, [], 'an editor sees only their own');
    assert.deepEqual({ ...carolsOwn, created_at: typeof carolsOwn?.created_at }, {
      id: carols.id,
      client_name: 'Claude Code',
      client_id: 'https://claude.ai/oauth/claude-code-client-metadata',
      redirect_host: 'localhost:54321',
      user: { did: carol.did, handle: 'carol.example.com', display_name: null },
      scopes: ['read', 'write'],
      created_at: 'string',
      last_used_at: null,
    });
    assert.deepEqual((await listed(dave)).map((c) => [c.client_name, c.scopes]), [['Reader', ['read']]]);
    assert.equal((await listed(alice)).find((c) => c.client_name === 'Claude')?.user.display_name, 'Alice');
    expectStatus(await as(erin).get('/api/wikis/alpha/connections'), 403, 'non-member');
    expectStatus(await as(null).get('/api/wikis/alpha/connections'), 401);
    const byToken = await pat(aliceRead).get('/api/wikis/alpha/connections');
    expectStatus(byToken, 200, 'a read token of the owner');
    assert.equal((byToken.body.connections as Connection[]).length, 3);
    expectStatus(await pat(aliceRead).get('/api/wikis/beta/connections'), 401, "another wiki's token");
    assert.ok(!JSON.stringify(byToken.body).includes(carols.accessToken));
  });

  it('record their last use', async () => {
    assert.equal(await wikiStatus(carols.accessToken), 200);
    const used = (await listed(carol))[0]?.last_used_at;
    assert.ok(used && Date.now() - Date.parse(used) < 60_000, String(used));
  });

  it("are revoked by whoever authorised them or by an owner or admin, and the wiki refuses the app's token at once", async () => {
    expectStatus(await as(dave).delete(`/api/wikis/alpha/connections/${carols.id}`), 403, "a viewer revoking someone else's");
    expectStatus(await as(carol).delete(`/api/wikis/alpha/connections/${alices.id}`), 403, "an editor revoking the owner's");
    expectStatus(await as(erin).delete(`/api/wikis/alpha/connections/${carols.id}`), 403, 'a non-member');
    expectStatus(await as(carol, { csrf: null }).delete(`/api/wikis/alpha/connections/${carols.id}`), 403, 'without the CSRF token');
    expectStatus(await pat(aliceRead).delete(`/api/wikis/alpha/connections/${carols.id}`), 403, 'a read-only token');
    expectStatus(await as(carol).delete('/api/wikis/alpha/connections/grt_doesnotexist'), 404);
    const betas = (await as(alice).get('/api/wikis/beta/connections')).body.connections as Connection[];
    expectStatus(await as(alice).delete(`/api/wikis/alpha/connections/${betas[0]!.id}`), 404, "another wiki's connection");

    // The wiki has just checked (and remembers for ~1 s) the token; revoking must not wait for that.
    assert.equal(await wikiStatus(carols.accessToken), 200);
    expectStatus(await as(carol).delete(`/api/wikis/alpha/connections/${carols.id}`), 204, 'their own');
    assert.equal(await wikiStatus(carols.accessToken), 401, 'refused at once');
    const mcp = await t.fetch(t.url('/mcp', 'alpha'), { method: 'POST', headers: { authorization: `Bearer ${carols.accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    assert.equal(mcp.status, 401, 'on /mcp too');
    expectStatus(await as(carol).delete(`/api/wikis/alpha/connections/${carols.id}`), 204, 'again: nothing more to do');

    expectStatus(await as(bob).delete(`/api/wikis/alpha/connections/${daves.id}`), 204, "an admin revokes anyone's");
    assert.equal(await wikiStatus(daves.accessToken), 401);
    expectStatus(await pat(aliceWrite).delete(`/api/wikis/alpha/connections/${alices.id}`), 204, "the owner's write token");
    assert.equal(await wikiStatus(alices.accessToken), 401);
    assert.deepEqual(await listed(alice), []);

    const audit = storeOf(t);
    try {
      const entries = await audit.db.select().from(auditLog).where(eq(auditLog.action, 'grant.revoke')).orderBy(auditLog.id);
      assert.deepEqual(entries.map((e) => [e.target, e.actorKind, e.actorDid]), [[carols.id, 'user', carol.did], [daves.id, 'user', bob.did], [alices.id, 'token', alice.did]]);
    } finally {
      audit.close();
    }
  });
});

describe('ownership, leaving and deleting', () => {
  it('passes from the owner to an admin only', async () => {
    expectStatus(await as(bob).post('/api/wikis/alpha/transfer', { to: 'bob.example.com' }), 403, 'an admin cannot take it');
    expectStatus(await as(alice).post('/api/wikis/alpha/transfer', { to: 'carol.example.com' }), 409, 'an editor');
    expectStatus(await as(alice).post('/api/wikis/alpha/transfer', { to: 'erin.example.com' }), 409, 'a non-member');
    const res = await as(alice).post('/api/wikis/alpha/transfer', { to: 'bob.example.com' });
    expectStatus(res, 200);
    assert.equal(res.body.owner_did, bob.did);
    const members = (await as(alice).get('/api/wikis/alpha/members')).body.members as { handle: string; role: string }[];
    assert.deepEqual(members.filter((m) => ['alice.example.com', 'bob.example.com'].includes(m.handle)).map((m) => m.role), ['admin', 'owner']);
  });

  it('lets members leave, but not the owner', async () => {
    expectStatus(await as(dave).delete(`/api/wikis/alpha/members/${dave.did}`), 204);
    expectStatus(await as(dave).get('/api/wikis/alpha'), 403);
    const stuck = await as(bob).delete(`/api/wikis/alpha/members/${bob.did}`);
    expectStatus(stuck, 409);
    assert.match(String(stuck.body.message), /hand it to an admin/);
  });

  it('deletes a wiki only for its owner, with its name typed, and its repository with it', async () => {
    // Open the wiki once so its repository exists on disk.
    assert.equal((await t.fetch(t.url('/api/v1/pages', 'alpha'), { headers: { authorization: `Bearer ${aliceRead}` } })).status, 200);
    const store = storeOf(t);
    let wikiId: string;
    try {
      const [row] = await store.db.select({ id: auditLog.wikiId }).from(auditLog).where(eq(auditLog.target, 'alpha')).limit(1);
      wikiId = row!.id!;
    } finally {
      store.close();
    }
    const repo = path.join(t.dataDir, 'git', `${wikiId}.git`);
    assert.ok(fs.existsSync(path.join(repo, 'HEAD')), repo);

    expectStatus(await as(alice).delete('/api/wikis/alpha', { confirm: 'alpha' }), 403, 'an admin');
    expectStatus(await as(bob).delete('/api/wikis/alpha', { confirm: 'alph' }), 400, 'mistyped');
    expectStatus(await as(bob).delete('/api/wikis/alpha'), 400, 'unconfirmed');
    expectStatus(await as(bob).delete('/api/wikis/alpha', { confirm: 'alpha' }), 204);
    expectStatus(await as(bob).get('/api/wikis/alpha'), 404);
    assert.ok(!fs.existsSync(repo), 'the repository is gone from disk');
    assert.equal((await t.fetch(t.url('/api/v1/pages', 'alpha'), { headers: { authorization: `Bearer ${aliceRead}` } })).status, 404);
    expectStatus(await as(alice).delete('/api/wikis/beta?confirm=beta'), 204, 'the name may come in the query');
  });
});

describe('limits', () => {
  it("refuses a wiki beyond the person's quota, then rate-limits creation with Retry-After", async () => {
    const frank = await signIn(t, did('f'), 'frank.example.com');
    for (let i = 1; i <= 10; i++) expectStatus(await as(frank).post('/api/wikis', { slug: `frank-${i}` }), 201, `wiki ${i}`);
    const over = await as(frank).post('/api/wikis', { slug: 'frank-11' });
    expectStatus(over, 403);
    assert.match(String(over.body.message), /own 10 wikis/);
    assert.equal(over.body.limit, 10);

    const store = storeOf(t);
    try {
      await store.db.update(users).set({ maxWikis: 50 }).where(eq(users.did, frank.did));
    } finally {
      store.close();
    }
    const limited = await as(frank).post('/api/wikis', { slug: 'frank-11' });
    expectStatus(limited, 429);
    assert.equal(limited.body.error, 'rate_limited');
    const retry = Number(limited.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 3600, `Retry-After ${retry}`);
    expectStatus(await as(frank).get('/api/wikis/frank-11'), 404);
  });

  it('rate-limits token minting per person', async () => {
    const gina = await signIn(t, did('g'), 'gina.example.com');
    expectStatus(await as(gina).post('/api/wikis', { slug: 'gina' }), 201);
    for (let batch = 0; batch < 3; batch++) {
      const minted = await Promise.all(Array.from({ length: 10 }, (_, i) => as(gina).post('/api/wikis/gina/tokens', { name: `t${batch}-${i}`, scopes: ['read'] })));
      for (const r of minted) expectStatus(r, 201);
    }
    const limited = await as(gina).post('/api/wikis/gina/tokens', { name: 'one too many', scopes: ['read'] });
    expectStatus(limited, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  });
});

describe('account', () => {
  it('lists your sessions and revokes one of them at once', async () => {
    const second = await signIn(t, alice.did, 'alice.example.com');
    const list = await as(alice).get('/api/account/sessions');
    expectStatus(list, 200);
    const sessions = list.body.sessions as { id: string; current: boolean }[];
    assert.ok(sessions.some((s) => s.id === alice.sessionId && s.current));
    assert.ok(sessions.some((s) => s.id === second.sessionId && !s.current));
    expectStatus(await as(bob).delete(`/api/account/sessions/${second.sessionId}`), 404, "someone else's session");
    expectStatus(await as(alice, { csrf: null }).delete(`/api/account/sessions/${second.sessionId}`), 403, 'without CSRF');
    expectStatus(await as(alice).delete(`/api/account/sessions/${second.sessionId}`), 204);
    expectStatus(await as(second).get('/api/wikis'), 401);
    expectStatus(await as(alice).get('/api/wikis'), 200);
  });

  it('deletes an account only when every owned wiki is deleted or handed to one of its admins', async () => {
    const hank = await signIn(t, did('h'), 'hank.example.com');
    const ivy = await signIn(t, did('i'), 'ivy.example.com');
    expectStatus(await as(hank).post('/api/wikis', { slug: 'hank-kept' }), 201);
    expectStatus(await as(hank).post('/api/wikis', { slug: 'hank-gone' }), 201);
    expectStatus(await as(hank).post('/api/wikis/hank-kept/members', { who: 'ivy.example.com', role: 'editor' }), 201);

    expectStatus(await as(hank).delete('/api/account', { confirm: 'someone.else', wikis: { 'hank-kept': 'delete', 'hank-gone': 'delete' } }), 400, 'wrong handle');
    expectStatus(await as(hank).delete('/api/account', { confirm: 'hank.example.com', wikis: { 'hank-kept': 'delete' } }), 400, 'a wiki left out');
    expectStatus(await as(hank).delete('/api/account', { confirm: 'hank.example.com', wikis: { 'hank-kept': 'ivy.example.com', 'hank-gone': 'delete' } }), 400, 'ivy is no admin');
    expectStatus(await as(hank, { csrf: null }).delete('/api/account', { confirm: 'hank.example.com', wikis: {} }), 403, 'without CSRF');

    expectStatus(await as(hank).patch('/api/wikis/hank-kept/members/ivy.example.com', { role: 'admin' }), 200);
    const done = await as(hank).delete('/api/account', { confirm: 'hank.example.com', wikis: { 'hank-kept': 'ivy.example.com', 'hank-gone': 'delete' } });
    expectStatus(done, 200);
    assert.deepEqual(done.body, { deleted: ['hank-gone'], transferred: [{ slug: 'hank-kept', to: 'ivy.example.com' }] });
    expectStatus(await as(hank).get('/api/wikis'), 401, 'the session ended with the account');
    const kept = await as(ivy).get('/api/wikis/hank-kept');
    expectStatus(kept, 200);
    assert.equal(kept.body.role, 'owner');
    expectStatus(await as(ivy).get('/api/wikis/hank-gone'), 404);
  });
});

describe('platform admin', () => {
  it('sees counts, disk use and recent errors; nobody else does', async () => {
    const root = await signIn(t, did('r'), 'root.example.com', ['--platform-admin']);
    const res = await as(root).get('/api/admin/overview');
    expectStatus(res, 200);
    const counts = res.body.counts as { users: number; wikis: number; pages: number };
    assert.ok(counts.users >= 9 && counts.wikis >= 12 && typeof counts.pages === 'number', JSON.stringify(counts));
    assert.ok((res.body.disk as { slug: string; bytes: number }[]).some((d) => d.slug === 'hank-kept'));
    assert.ok(Array.isArray(res.body.errors));
    expectStatus(await as(erin).get('/api/admin/overview'), 403);
  });
});
