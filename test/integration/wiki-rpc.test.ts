/**
 * The wiki's JS-RPC entrypoint (what the MCP worker calls), over real
 * workerd RPC: a second workerd runs the product's wiki, oauth and auth
 * workers beside a probe worker bound to WikiRpc (test/rpc-probe), on the
 * test stack's sqld and git directory.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../bin/lib/build.ts';
import { Child } from '../../bin/lib/child.ts';
import { workerdBinary } from '../../bin/lib/workerd.ts';
import { openDb } from '../../workers/lib/db.ts';
import { setMember } from '../../workers/lib/directory/members.ts';
import { mintPersonalAccessToken, revokePersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const system = { kind: 'system' } as const;

let t: TestStack;
let probe: Child;
let probeUrl: string;
const tokens: Record<'alice' | 'bob' | 'elsewhere' | 'revoked', string> = { alice: '', bob: '', elsewhere: '', revoked: '' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type Result = { ok: true; value: any } | { ok: false; error: { code: string; status: number; message: string; details?: Record<string, unknown> } };

async function rpc(token: string, method: string | null, ...args: unknown[]): Promise<Result> {
  const res = await fetch(probeUrl, { method: 'POST', body: JSON.stringify({ slug: 'notes', token, method, args }) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Result;
}

async function value(token: string, method: string, ...args: unknown[]): Promise<any> {
  const result = await rpc(token, method, ...args);
  assert.ok(result.ok, `${method}: ${JSON.stringify(result)}`);
  return result.value;
}

before(async () => {
  t = await startTestStack();
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
  await upsertUser(db, { did: BOB, handle: 'bob.example.com' }, system);
  const notes = await createWiki(db, { slug: 'notes', ownerDid: ALICE, title: 'Notes' }, system);
  const elsewhere = await createWiki(db, { slug: 'elsewhere', ownerDid: ALICE }, system);
  await setMember(db, notes, BOB, 'viewer', system);
  tokens.alice = (await mintPersonalAccessToken(db, { wiki: notes, userDid: ALICE, name: 'rpc', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  tokens.bob = (await mintPersonalAccessToken(db, { wiki: notes, userDid: BOB, name: 'rpc', scopes: ['read'], expiresAt: null }, system)).token;
  tokens.elsewhere = (await mintPersonalAccessToken(db, { wiki: elsewhere, userDid: ALICE, name: 'rpc', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  const revoked = await mintPersonalAccessToken(db, { wiki: notes, userDid: ALICE, name: 'old', scopes: ['read', 'write'], expiresAt: null }, system);
  tokens.revoked = revoked.token;
  await revokePersonalAccessToken(db, revoked.id, system);
  client.close();

  const port = await freePort();
  const sqld = new URL(t.stack.sqldUrl);
  probe = new Child('workerd-probe', workerdBinary(), [
    'serve', path.join(ROOT, 'test', 'rpc-probe', 'config.capnp'),
    '--socket-addr', `probe=127.0.0.1:${port}`,
    '--external-addr', `sqld=${sqld.host}`,
    '--directory-path', `gitdisk=${path.join(t.dataDir, 'git')}`,
    '--directory-path', `static=${path.join(ROOT, 'dist', 'static')}`,
  ], { cwd: ROOT, log: () => {}, env: { PATH: process.env.PATH, APEX: 'wiki.localhost', PUBLIC_ORIGIN: 'http://wiki.localhost' } });
  probeUrl = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    if (await fetch(probeUrl, { method: 'POST', body: '{}' }).then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  await probe?.stop();
  await t?.stop();
});

describe('WikiRpc.open', () => {
  it('opens a session for a token of this wiki, and says who it acts as', async () => {
    const info = await value(tokens.alice, 'info');
    assert.deepEqual(info, { slug: 'notes', title: 'Notes', role: 'owner', scopes: ['read', 'write'], canWrite: true });
    assert.equal((await value(tokens.bob, 'info')).canWrite, false);
  });

  it('refuses tokens for another wiki, revoked or forged ones, and unknown wikis, with the REST codes', async () => {
    for (const bad of [tokens.elsewhere, tokens.revoked, 'wfpat_forged']) {
      const r = await rpc(bad, null);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.status, 401, bad);
    }
    const res = await fetch(probeUrl, { method: 'POST', body: JSON.stringify({ slug: 'no-such-wiki', token: tokens.alice }) });
    const r = (await res.json()) as Result;
    assert.equal(!r.ok && r.error.code, 'not_found');
  });
});

describe('the session', () => {
  it('writes, reads, edits, searches and lists like the REST API', async () => {
    const created = await value(tokens.alice, 'putPage', 'Projects/Plan', { content: '# Plan\n\n## Goals\n\nShip it. See [[Home]].\n', message: 'Start the plan' });
    assert.equal(created.created, true);
    const page = await value(tokens.alice, 'readPage', 'Projects/Plan');
    assert.equal(page.revision, created.revision);
    assert.deepEqual(page.links_to, ['Home']);
    assert.equal((await value(tokens.alice, 'readPage', 'Projects/Plan', { section: 'Goals' })).content, '## Goals\n\nShip it. See [[Home]].\n');
    const edited = await value(tokens.alice, 'editPage', 'Projects/Plan', { kind: 'replace', oldString: 'Ship it.', newString: 'Ship it on Friday.' }, { revision: created.revision });
    assert.notEqual(edited.revision, created.revision);
    assert.match((await value(tokens.bob, 'readPage', 'Projects/Plan')).content, /Ship it on Friday\./);
    const history = await value(tokens.bob, 'history', 'Projects/Plan');
    assert.equal(history.length, 2);
    assert.equal(history[0].author, 'Alice');
    assert.match((await value(tokens.bob, 'diff', 'Projects/Plan', { from: created.revision, to: edited.revision })).diff, /^\+Ship it on Friday\. See \[\[Home\]\]\.$/m);
    const found = await value(tokens.bob, 'search', 'friday');
    assert.deepEqual(found.results.map((r: { path: string }) => r.path), ['Projects/Plan']);
    assert.deepEqual((await value(tokens.bob, 'listPages', { prefix: 'Projects' })).pages.map((p: { path: string }) => p.path), ['Projects/Plan']);
    assert.deepEqual((await value(tokens.bob, 'links', 'Home')).linked_from, ['Projects/Plan']);
    assert.ok((await value(tokens.bob, 'recentChanges', { limit: 5 })).length >= 2);
  });

  it('answers conflicts with the current revision, and bad input with 400, writing nothing', async () => {
    const stale = await rpc(tokens.alice, 'putPage', 'Projects/Plan', { content: 'overwrite', revision: '0000000' });
    assert.equal(!stale.ok && stale.error.code, 'conflict');
    assert.match(String(!stale.ok && stale.error.details?.current_revision), /^[0-9a-f]{40}$/);
    for (const [method, ...args] of [
      ['putPage', '../etc/passwd', { content: 'x' }],
      ['putPage', 'Ok', { content: 42 }],
      ['readPage', 'Projects/Plan', { revision: 'not-hex!' }],
      ['editPage', 'Projects/Plan', { kind: 'explode' }],
    ] as const) {
      const r = await rpc(tokens.alice, method, ...args);
      assert.equal(!r.ok && r.error.status, 400, `${method} ${JSON.stringify(args)}: ${JSON.stringify(r)}`);
    }
    assert.equal((await rpc(tokens.alice, 'readPage', 'Ok')).ok, false);
  });

  it('lets a viewer read but not write, and renames and deletes for editors', async () => {
    const refused = await rpc(tokens.bob, 'putPage', 'Viewer/Try', { content: 'no' });
    assert.equal(!refused.ok && refused.error.status, 403);
    const renamed = await value(tokens.alice, 'renamePage', 'Projects/Plan', 'Projects/Roadmap');
    assert.equal(renamed.new_path, 'Projects/Roadmap');
    assert.equal((await rpc(tokens.bob, 'readPage', 'Projects/Plan')).ok, false);
    await value(tokens.alice, 'deletePage', 'Projects/Roadmap');
    const gone = await rpc(tokens.bob, 'readPage', 'Projects/Roadmap');
    assert.equal(!gone.ok && gone.error.code, 'not_found');
  });

  it('uploads and deletes attachments as the caller, refusing viewers, bad bytes and missing pages', async () => {
    await value(tokens.alice, 'putPage', 'Files', { content: '# Files\n' });
    const up = await value(tokens.alice, 'putAttachment', 'Files', { filename: 'my notes (1).txt', bytes: { $bytes: btoa('hello\n') }, message: 'Attach notes' });
    assert.equal(up.filename, 'my_notes_1.txt');
    assert.equal(up.size, 6);
    assert.match(up.revision, /^[0-9a-f]{40}$/);
    const read = await value(tokens.bob, 'readAttachment', 'Files', 'my_notes_1.txt');
    assert.equal(atob(read.bytes), 'hello\n');
    assert.equal((await value(tokens.bob, 'history', 'Files'))[0].author, 'Alice');
    const viewer = await rpc(tokens.bob, 'putAttachment', 'Files', { filename: 'x.txt', bytes: { $bytes: btoa('x') } });
    assert.equal(!viewer.ok && viewer.error.status, 403);
    const notBytes = await rpc(tokens.alice, 'putAttachment', 'Files', { filename: 'x.txt', bytes: 'aGk=' });
    assert.equal(!notBytes.ok && notBytes.error.status, 400);
    const noPage = await rpc(tokens.alice, 'putAttachment', 'Nowhere', { filename: 'x.txt', bytes: { $bytes: btoa('x') } });
    assert.equal(!noPage.ok && noPage.error.code, 'not_found');
    assert.equal((await rpc(tokens.bob, 'deleteAttachment', 'Files', 'my_notes_1.txt')).ok, false);
    const deleted = await value(tokens.alice, 'deleteAttachment', 'Files', 'my_notes_1.txt', { message: 'Remove notes' });
    assert.equal(deleted.filename, 'my_notes_1.txt');
    assert.deepEqual(await value(tokens.bob, 'listAttachments', 'Files'), []);
    const again = await rpc(tokens.alice, 'deleteAttachment', 'Files', 'my_notes_1.txt');
    assert.equal(!again.ok && again.error.code, 'not_found');
  });

  it('writes through RPC land in the repository and index the web serves', async () => {
    await value(tokens.alice, 'putPage', 'Shared', { content: '# Shared\n\nfrom rpc\n' });
    const res = await t.fetch(t.url('/api/v1/pages/Shared', 'notes'), { headers: { authorization: `Bearer ${tokens.alice}` } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { content: string }).content, '# Shared\n\nfrom rpc\n');
  });
});
