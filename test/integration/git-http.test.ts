/**
 * Git over HTTP with the real git CLI against the running stack: clone,
 * edit, push and see it in the web UI and REST API; edit in the web UI and
 * pull; shallow clones; a push racing a web edit; every kind of refused push;
 * access (disabled wiki, private wiki without credentials, wrong-wiki and
 * read-only tokens, the session cookie); every pushed commit indexed; and
 * `git fsck` clean on the stored repositories after all of it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { setMember } from '../../workers/lib/directory/members.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, type Wiki } from '../../workers/lib/directory/wikis.ts';
import { commitAll, git, gitEnv, runGit, writeFiles } from '../helpers/git-cli.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { tempDir } from '../helpers/temp.ts';
import { sessionToken, UiClient } from '../helpers/wiki-ui.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const CAROL = 'did:plc:cccccccccccccccccccccccc';
const system = { kind: 'system' } as const;

let t: TestStack;
let db: Db;
let closeDb: () => void;
const wikis: Record<string, Wiki> = {};
const tokens = {} as Record<'alice' | 'aliceRead' | 'bob' | 'carol' | 'other' | 'open' | 'closed', string>;

before(async () => {
  t = await startTestStack();
  const opened = openDb({ url: t.stack.sqldUrl });
  db = opened.db;
  closeDb = () => opened.client.close();
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
  await upsertUser(db, { did: BOB, handle: 'bob.example.com', displayName: 'Bob' }, system);
  await upsertUser(db, { did: CAROL, handle: 'carol.example.com', displayName: 'Carol' }, system);
  wikis.notes = await createWiki(db, { slug: 'notes', ownerDid: ALICE, title: 'Notes', visibility: 'private' }, system);
  wikis.open = await createWiki(db, { slug: 'open', ownerDid: ALICE, title: 'Open', visibility: 'public' }, system);
  wikis.closed = await createWiki(db, { slug: 'closed', ownerDid: ALICE, title: 'Closed', visibility: 'public', gitAccess: false }, system);
  wikis.other = await createWiki(db, { slug: 'other', ownerDid: ALICE, title: 'Other' }, system);
  await setMember(db, wikis.notes, BOB, 'viewer', system);
  await setMember(db, wikis.notes, CAROL, 'editor', system);
  const mint = async (wiki: Wiki, did: string, scopes: ('read' | 'write')[]) => (await mintPersonalAccessToken(db, { wiki, userDid: did, name: 'git', scopes, expiresAt: null }, system)).token;
  tokens.alice = await mint(wikis.notes, ALICE, ['read', 'write']);
  tokens.aliceRead = await mint(wikis.notes, ALICE, ['read']);
  tokens.bob = await mint(wikis.notes, BOB, ['read']);
  tokens.carol = await mint(wikis.notes, CAROL, ['read', 'write']);
  tokens.other = await mint(wikis.other, ALICE, ['read', 'write']);
  tokens.open = await mint(wikis.open, ALICE, ['read', 'write']);
  tokens.closed = await mint(wikis.closed, ALICE, ['read', 'write']);
});

after(async () => {
  closeDb?.();
  await t?.stop();
});

function remote(slug: string, token?: string): string {
  const { port } = new URL(t.url('/'));
  return `http://${token ? `x-token:${token}@` : ''}${slug}.wiki.localhost:${port}/.git`;
}

function storedRepo(slug: string): string {
  return path.join(t.dataDir, 'git', `${wikis[slug]!.id}.git`);
}

async function api(slug: string, pathname: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const res = await t.fetch(t.url(pathname, slug), {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>, text };
}

async function clone(slug: string, token?: string, extra: string[] = []): Promise<string> {
  const dir = path.join(tempDir(), slug);
  await git(['clone', '-q', ...extra, remote(slug, token), dir]);
  return dir;
}

describe('clone, push, pull', () => {
  it('clones a private wiki with a token, pushes a commit, and the web UI and API show it', async () => {
    const dir = await clone('notes', tokens.alice);
    assert.match(fs.readFileSync(path.join(dir, 'Home.md'), 'utf8'), /^# Notes/);
    assert.equal((await git(['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: dir })).trim(), 'main');
    writeFiles(dir, { 'Garden.md': '# Garden\n\nTomatoes and [[Home]].\n', 'Garden/plan.txt': 'rows\n' });
    const sha = await commitAll(dir, 'Plant the garden');
    const push = await runGit(['push', 'origin', 'main'], { cwd: dir });
    assert.equal(push.code, 0, push.stderr);

    const page = await api('notes', '/api/v1/pages/Garden', tokens.alice);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.json.content, '# Garden\n\nTomatoes and [[Home]].\n');
    assert.equal(page.json.revision, sha);
    assert.deepEqual(page.json.links_to, ['Home']);
    const history = await api('notes', '/api/v1/pages/Garden/history', tokens.alice);
    assert.deepEqual((history.json.history as { revision: string; author: string; message: string }[]).map((h) => [h.revision, h.author, h.message]), [[sha, 'Git User', 'Plant the garden']]);
    const files = await api('notes', '/api/v1/pages/Garden/attachments', tokens.alice);
    assert.match(files.text, /plan\.txt/);
    const search = await api('notes', '/api/v1/search?q=tomatoes', tokens.alice);
    assert.match(search.text, /Garden/);

    const ui = new UiClient(t, 'notes', await sessionToken(t, 'alice.example.com'));
    const view = await ui.get('/Garden');
    assert.equal(view.status, 200);
    assert.match(view.text, /Tomatoes and/);
  });
});
