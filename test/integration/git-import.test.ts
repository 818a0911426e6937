/**
 * `admin wiki import` against the running stack: multi-commit repositories
 * made by the git CLI, with attachments and subfolders, from a directory in
 * robot.wtf's layout (imported as is: same commit ids) and from a bundle in
 * upstream Otterwiki's lowercased layout (converted: pages renamed, links and
 * attachments following, authors, dates and messages kept); refusals leave
 * nothing behind; the stored repositories pass git fsck.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { getWikiBySlug, type Wiki } from '../../workers/lib/directory/wikis.ts';
import { commitAll, git, gitEnv, writeFiles } from '../helpers/git-cli.ts';
import { adminCommand } from '../helpers/platform.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { tempDir } from '../helpers/temp.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const system = { kind: 'system' } as const;

let t: TestStack;
let db: Db;
let closeDb: () => void;

before(async () => {
  t = await startTestStack();
  const opened = openDb({ url: t.stack.sqldUrl });
  db = opened.db;
  closeDb = () => opened.client.close();
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
});

after(async () => {
  closeDb?.();
  await t?.stop();
});

async function tokenFor(slug: string): Promise<{ wiki: Wiki; token: string }> {
  const wiki = (await getWikiBySlug(db, slug))!;
  assert.ok(wiki, `wiki ${slug} exists`);
  const { token } = await mintPersonalAccessToken(db, { wiki, userDid: ALICE, name: 'test', scopes: ['read', 'write'], expiresAt: null }, system);
  return { wiki, token };
}

async function api(slug: string, token: string, pathname: string) {
  const res = await t.fetch(t.url(pathname, slug), { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const text = await res.text();
  return { status: res.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>, text };
}

async function importFails(args: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(adminCommand(t, ['wiki', 'import', ...args]), pattern);
}

function fsck(wiki: Wiki): void {
  execFileSync('git', ['--git-dir', path.join(t.dataDir, 'git', `${wiki.id}.git`), 'fsck', '--strict', '--no-dangling'], { env: gitEnv(), stdio: 'pipe' });
}

describe('wiki import', () => {
  it("imports a robot.wtf repository (a work tree) as it is, with every commit indexed", async () => {
    const src = path.join(tempDir(), 'robot');
    await git(['init', '-q', '-b', 'master', src]);
    writeFiles(src, { 'Home.md': '# Home\n\nMemory for your agents: [[Getting Started]], [[Actors/Iran Strategy]].\n', 'Getting_Started.md': '# Getting Started\n\nClone me.\n' });
    const c1 = await commitAll(src, 'Initial commit', 1_700_000_000);
    writeFiles(src, {
      'Actors/Iran_Strategy.md': '---\ncategory: actors\ntags: [iran, strategy]\n---\n# Iran Strategy\n\n![map](/Actors/Iran_Strategy/map.png) and [[Home]].\n',
      'Actors/Iran_Strategy/map.png': new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 1]),
      'Actors/Iran_Strategy/Notes/Deep_Page.md': '# Deep page\n\nA subpage.\n',
      'Legacy Page.md': '# Legacy page\n\nwritten before underscores\n',
    });
    const c2 = await commitAll(src, '[mcp] Add actors', 1_700_000_100);
    writeFiles(src, { 'Getting_Started.md': '# Getting Started\n\nClone me with git.\n' });
    const c3 = await commitAll(src, '[api] Update: Getting_Started', 1_700_000_200);
    fs.rmSync(path.join(src, 'Legacy Page.md'));
    const c4 = await commitAll(src, 'Legacy Page deleted.', 1_700_000_300);

    const out = await adminCommand(t, ['wiki', 'import', 'robot', src, '--owner', 'alice.example.com', '--title', 'Robot']);
    assert.match(out, /wiki robot created from master: 4 commits \(robot\.wtf's layout, as is\)/);
    const { wiki, token } = await tokenFor('robot');
    assert.equal(wiki.title, 'Robot');

    const list = await api('robot', token, '/api/v1/pages');
    assert.deepEqual((list.json.pages as { path: string }[]).map((p) => p.path), ['Actors/Iran_Strategy', 'Actors/Iran_Strategy/Notes/Deep_Page', 'Getting_Started', 'Home']);
    const actor = await api('robot', token, '/api/v1/pages/Actors/Iran_Strategy');
    assert.deepEqual((actor.json.frontmatter as { tags: string[] }).tags, ['iran', 'strategy']);
    assert.deepEqual(actor.json.links_to, ['Home']);
    const history = await api('robot', token, '/api/v1/pages/Getting_Started/history');
    assert.deepEqual((history.json.history as { revision: string; message: string }[]).map((h) => [h.revision, h.message]), [[c3, '[api] Update: Getting_Started'], [c1, 'Initial commit']]);
    const changes = await api('robot', token, '/api/v1/changelog');
    assert.deepEqual((changes.json.entries as { revision: string }[]).map((e) => e.revision), [c4, c3, c2, c1]);
    const legacy = await api('robot', token, '/api/v1/pages/Legacy_Page/history');
    assert.deepEqual((legacy.json.history as { revision: string; change: string }[]).map((h) => [h.revision, h.change]), [[c4, 'deleted'], [c2, 'added']], legacy.text);
    const files = await api('robot', token, '/api/v1/pages/Actors/Iran_Strategy/attachments');
    assert.match(files.text, /map\.png/);
    const search = await api('robot', token, '/api/v1/search?q=subpage');
    assert.match(search.text, /Deep_Page/);
    const backlinks = await api('robot', token, '/api/v1/links/Getting_Started');
    assert.deepEqual(backlinks.json.linked_from, ['Home']);

    // Same history, same ids: a clone over git is the source, commit for commit.
    const clone = path.join(tempDir(), 'clone');
    const { port } = new URL(t.url('/'));
    await git(['clone', '-q', `http://x:${token}@robot.wiki.localhost:${port}/.git`, clone]);
    assert.equal(await git(['rev-list', 'HEAD'], { cwd: clone }), await git(['rev-list', 'HEAD'], { cwd: src }));
    fsck(wiki);
  });

  it("imports an Otterwiki bundle in its lowercased layout, renaming pages as Otterwiki showed them", async () => {
    const src = path.join(tempDir(), 'otter');
    await git(['init', '-q', '-b', 'master', src]);
    writeFiles(src, {
      'home.md': '# Welcome\n\nSee [[projects/nas setup]], [[the NAS|PROJECTS/Nas Setup]] and [[garden notes]].\n',
      'projects/nas setup.md': '# NAS Setup\n\nFirst try.\n',
      'projects/nas setup/wiring diagram.png': new Uint8Array([1, 2, 3, 4]),
      "garden notes.md": "# Garden notes\n\ndon't stop\n",
    });
    await commitAll(src, 'Initial commit', 1_700_000_000);
    writeFiles(src, { 'projects/nas setup.md': '# NAS Setup\n\nSecond try: ![](/projects/nas%20setup/wiring%20diagram.png)\n', 'projects/raid levels.md': 'no heading here\n' });
    await commitAll(src, 'Second try', 1_700_000_100);
    const bundle = path.join(tempDir(), 'otter.bundle');
    await git(['bundle', 'create', bundle, '--all'], { cwd: src });

    const out = await adminCommand(t, ['wiki', 'import', 'otter', bundle, '--owner', 'alice.example.com']);
    assert.match(out, /created from master: 2 commits \(Otterwiki's lowercased layout, converted/);
    const { wiki, token } = await tokenFor('otter');
    const list = await api('otter', token, '/api/v1/pages');
    assert.deepEqual((list.json.pages as { path: string }[]).map((p) => p.path), ['Garden_notes', 'Home', 'Projects/NAS_Setup', 'Projects/Raid_Levels']);
    const home = await api('otter', token, '/api/v1/pages/Home');
    assert.equal(home.json.content, '# Welcome\n\nSee [[Projects/NAS Setup]], [[the NAS|Projects/NAS Setup]] and [[Garden notes]].\n');
    const nas = await api('otter', token, '/api/v1/pages/Projects/NAS_Setup');
    assert.equal(nas.json.content, '# NAS Setup\n\nSecond try: ![](/Projects/NAS_Setup/wiring%20diagram.png)\n');
    assert.deepEqual(nas.json.linked_from, ['Home']);
    const history = await api('otter', token, '/api/v1/pages/Projects/NAS_Setup/history');
    assert.deepEqual((history.json.history as { message: string; author: string }[]).map((h) => [h.message, h.author]), [['Second try', 'Git User'], ['Initial commit', 'Git User']]);
    const att = await t.fetch(t.url('/api/v1/pages/Projects/NAS_Setup/attachments/wiring%20diagram.png', 'otter'), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(att.status, 200);
    assert.deepEqual(new Uint8Array(await att.arrayBuffer()), new Uint8Array([1, 2, 3, 4]));
    const broken = await api('otter', token, '/api/v1/broken-links');
    assert.deepEqual(broken.json.links, []);
    fsck(wiki);
  });

  it('refuses what a push would refuse, and leaves no wiki behind', async () => {
    const src = path.join(tempDir(), 'bad');
    await git(['init', '-q', '-b', 'main', src]);
    writeFiles(src, { 'Home.md': '# Home\n' });
    await commitAll(src, 'one');
    fs.symlinkSync('/etc/hostname', path.join(src, 'leak.md'));
    await commitAll(src, 'two');
    await importFails(['bad', src, '--owner', 'alice.example.com'], /"leak\.md" is a symbolic link/);
    assert.equal(await getWikiBySlug(db, 'bad'), null);
    await importFails(['bad', path.join(src, 'nothing-here'), '--owner', 'alice.example.com'], /does not exist/);
    const notGit = tempDir();
    fs.writeFileSync(path.join(notGit, 'x.md'), 'x');
    await importFails(['bad', notGit, '--owner', 'alice.example.com'], /not a git repository/);
  });

  it('refuses to import into a wiki that already has its own history', async () => {
    const src = path.join(tempDir(), 'again');
    await git(['init', '-q', '-b', 'main', src]);
    writeFiles(src, { 'Home.md': '# Again\n' });
    await commitAll(src, 'again');
    await importFails(['robot', src], /already has pages or history/);
  });
});
