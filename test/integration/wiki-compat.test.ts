/**
 * Compatibility with robot.wtf's repositories: a repo in their layout, made
 * here with the git CLI (case kept, `_` for spaces, a legacy file with real
 * spaces, nested folders, attachments beside subpages, frontmatter, wikilinks,
 * renames and deletes), opens with every page, attachment, link and history entry.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { openDb } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { runScript } from '../helpers/processes.ts';
import { waitForBranch } from '../helpers/git-cli.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { tempDir } from '../helpers/temp.ts';

let t: TestStack;
let token: string;
let gitdir: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Claude (MCP)', GIT_AUTHOR_EMAIL: 'claude-mcp@otterwiki.local', GIT_COMMITTER_NAME: 'robot.wtf', GIT_COMMITTER_EMAIL: 'system@robot.wtf' },
  });
}

function write(dir: string, file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
}

/** A robot.wtf-style history, then a bare clone of it as the wiki's repository. */
function makeLegacyRepo(bareTarget: string): void {
  const work = tempDir('wikifarm-legacy-');
  git(work, 'init', '-q', '-b', 'main');
  write(work, 'Home.md', '# Home\n\nStart at [[Actors/Iran Strategy]] or [[Old notes|Old Page]].\n');
  write(work, 'Old Page.md', '# Old Page\n\nWritten before underscores. Back [[Home]].\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'Initial commit');
  write(work, 'Actors/Iran_Strategy.md', '---\ntitle: Iran Strategy\ncategory: Actors\ntags: [geo, policy]\n---\nSee [[Actors/Iran Strategy/Sub]] and ![map](/Actors/Iran_Strategy/map.png).\n');
  write(work, 'Actors/Iran_Strategy/Sub.md', '# Sub\n\nA subpage beside the attachments.\n');
  write(work, 'Actors/Iran_Strategy/map.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255]));
  write(work, 'Actors/Iran_Strategy/notes.txt', 'plain attachment\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', '[api] Create: Actors/Iran_Strategy');
  write(work, 'Old Page.md', '# Old Page\n\nEdited once. Back [[Home]].\n');
  write(work, 'Drafts/Scratch.md', 'temporary\n');
  // Written through robot.wtf's REST API, which sanitises no names: characters new pages may not use.
  write(work, 'FAQ: Why? #1.md', '# FAQ\n\nVersion 1.0! Costs $5 | more.\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', '[api] Update: Old Page');
  git(work, 'rm', '-q', 'Drafts/Scratch.md');
  git(work, 'mv', 'Actors/Iran_Strategy/notes.txt', 'Actors/Iran_Strategy/readme.txt');
  git(work, 'commit', '-q', '-m', '[api] Delete: Drafts/Scratch');
  execFileSync('git', ['clone', '-q', '--bare', work, bareTarget]);
}

before(async () => {
  t = await startTestStack();
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  await upsertUser(db, { did: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', handle: 'alice.example.com' }, { kind: 'system' });
  const wiki = await createWiki(db, { slug: 'legacy', ownerDid: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa' }, { kind: 'system' });
  token = (await mintPersonalAccessToken(db, { wiki, userDid: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', name: 't', scopes: ['read', 'write'], expiresAt: null }, { kind: 'system' })).token;
  client.close();
  gitdir = path.join(t.dataDir, 'git', `${wiki.id}.git`);
  makeLegacyRepo(gitdir);
});
after(() => t.stop());

async function get(pathname: string): Promise<Record<string, unknown>> {
  const res = await t.fetch(t.url(pathname, 'legacy'), { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, `${pathname}: ${JSON.stringify(body)}`);
  return body;
}

/** A working copy of the wiki over git HTTP, and a push of everything in it as one commit. */
function cloneWiki(): { work: string; push: (message: string) => void } {
  const { port } = new URL(t.url('/'));
  const work = tempDir('wikifarm-compat-');
  execFileSync('git', ['clone', '-q', `http://x-token:${token}@legacy.wiki.localhost:${port}/.git`, work], { env: process.env });
  const push = (message: string) => {
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', message);
    git(work, 'push', '-q', 'origin', 'HEAD:main');
  };
  return { work, push };
}

it('opens every page, with titles, frontmatter and links', async () => {
  const list = await get('/api/v1/pages');
  assert.deepEqual((list.pages as { path: string }[]).map((p) => p.path), ['Actors/Iran_Strategy', 'Actors/Iran_Strategy/Sub', 'FAQ:_Why?_#1', 'Home', 'Old_Page']);
  const strategy = await get('/api/v1/pages/Actors/Iran Strategy');
  assert.equal(strategy.name, 'Iran Strategy');
  assert.equal(strategy.category, 'Actors');
  assert.deepEqual(strategy.tags, ['geo', 'policy']);
  assert.deepEqual(strategy.linked_from, ['Home']);
  assert.deepEqual(strategy.links_to, ['Actors/Iran_Strategy/Sub']);
  const legacy = await get('/api/v1/pages/Old_Page');
  assert.match(legacy.content as string, /Edited once/);
  assert.deepEqual(legacy.linked_from, ['Home'], '[[Old notes|Old Page]] resolves to the legacy file');
});

it('opens every attachment, beside subpages that are not attachments', async () => {
  const list = await get('/api/v1/pages/Actors/Iran_Strategy/attachments');
  assert.deepEqual((list.attachments as { filename: string; size: number }[]).map((a) => [a.filename, a.size]), [['map.png', 9], ['readme.txt', 17]]);
});

it('opens every history entry, renames and deletes included', async () => {
  const changelog = await get('/api/v1/changelog?limit=100');
  assert.deepEqual((changelog.entries as { message: string }[]).map((e) => e.message), ['[api] Delete: Drafts/Scratch', '[api] Update: Old Page', '[api] Create: Actors/Iran_Strategy', 'Initial commit']);
  const history = await get('/api/v1/pages/Old_Page/history');
  assert.deepEqual((history.history as { message: string; author: string }[]).map((h) => [h.message, h.author]), [['[api] Update: Old Page', 'Claude (MCP)'], ['Initial commit', 'Claude (MCP)']]);
  const scratch = await get('/api/v1/pages/Drafts/Scratch/history');
  assert.deepEqual((scratch.history as { change: string }[]).map((h) => h.change), ['deleted', 'added']);
});

it('writes to a legacy file in place, never creating an underscore twin', async () => {
  const legacy = await get('/api/v1/pages/Old_Page');
  const res = await t.fetch(t.url('/api/v1/pages/Old Page', 'legacy'), {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content: '# Old Page\n\nEdited here.\n', revision: legacy.revision }),
  });
  const written = (await res.json()) as { revision: string };
  assert.equal(res.status, 200, JSON.stringify(written));
  await waitForBranch(gitdir, written.revision);
  const files = execFileSync('git', ['--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).split('\n');
  assert.ok(files.includes('Old Page.md'));
  assert.ok(!files.includes('Old_Page.md'));
  assert.match(execFileSync('git', ['--git-dir', gitdir, 'show', 'main:Old Page.md'], { encoding: 'utf8' }), /Edited here/);
  const tree = (await get('/api/v1/pages')).pages as { path: string }[];
  assert.equal(tree.filter((p) => p.path === 'Old_Page').length, 1);
});

it('reads and updates a page whose name new pages may not use (# ? :), while refusing to create another', async () => {
  const path = `/api/v1/pages/${encodeURIComponent('FAQ: Why? #1')}`;
  const faq = await get(path);
  assert.equal(faq.path, 'FAQ:_Why?_#1');
  assert.match(faq.content as string, /Version 1\.0!/);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const updated = await t.fetch(t.url(path, 'legacy'), { method: 'PUT', headers, body: JSON.stringify({ content: '# FAQ\n\nStill here.\n', revision: faq.revision }) });
  const faqWritten = (await updated.json()) as { revision: string };
  assert.equal(updated.status, 200, JSON.stringify(faqWritten));
  await waitForBranch(gitdir, faqWritten.revision);
  assert.match(execFileSync('git', ['--git-dir', gitdir, 'show', 'main:FAQ: Why? #1.md'], { encoding: 'utf8' }), /Still here/);
  const view = await t.fetch(t.url(`/${encodeURIComponent('FAQ:_Why?_#1')}`, 'legacy'), { headers: { authorization: `Bearer ${token}`, accept: 'text/html' } });
  assert.equal(view.status, 200);
  assert.match(await view.text(), /Still here\./);
  const created = await t.fetch(t.url(`/api/v1/pages/${encodeURIComponent('FAQ: Why? #2')}`, 'legacy'), { method: 'PUT', headers, body: JSON.stringify({ content: 'x' }) });
  assert.equal(created.status, 400);
  assert.equal(((await created.json()) as { reason: string }).reason, 'forbidden_character');
});

it('rebuilds the whole index from git with the admin CLI, to the same result', async () => {
  const before = await get('/api/v1/pages');
  const changes = await get('/api/v1/changelog?limit=100');
  const r = await runScript('bin/admin.ts', ['wiki', 'reindex', 'legacy'], { DATA_DIR: t.dataDir });
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /legacy: indexed 6 commits in \d+ ms/);
  assert.deepEqual(await get('/api/v1/pages'), before);
  assert.deepEqual(await get('/api/v1/changelog?limit=100'), changes);
  assert.deepEqual(((await get('/api/v1/search?q=subpage')).results as { path: string }[]).map((x) => x.path), ['Actors/Iran_Strategy/Sub']);
});

it('shows a page with two files (underscore and legacy spaces) from the underscore one, falls back to the other, and deletes both', async () => {
  const { work, push } = cloneWiki();
  write(work, 'Twin_Page.md', '# Twin\n\nunderscore file\n');
  write(work, 'Twin Page.md', '# Twin\n\nlegacy file\n');
  push('Two files for one page');
  write(work, 'Twin Page.md', '# Twin\n\nlegacy file, edited last\n');
  push('Edit the legacy one');
  assert.match((await get('/api/v1/pages/Twin_Page')).content as string, /underscore file/, 'the underscore file is the page, whichever changed last');
  fs.rmSync(path.join(work, 'Twin_Page.md'));
  push('Remove the underscore one');
  assert.match((await get('/api/v1/pages/Twin_Page')).content as string, /legacy file, edited last/, 'the legacy file is the page now');
  // Deleting the page in the wiki removes both of its files.
  write(work, 'Twin_Page.md', '# Twin\n\nunderscore again\n');
  push('And back');
  const deleted = await t.fetch(t.url('/api/v1/pages/Twin_Page', 'legacy'), { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  const answer = (await deleted.json()) as { revision: string };
  assert.equal(deleted.status, 200, JSON.stringify(answer));
  await waitForBranch(gitdir, answer.revision);
  const files = execFileSync('git', ['--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).split('\n');
  assert.ok(!files.includes('Twin_Page.md') && !files.includes('Twin Page.md'), files.join(', '));
  const gone = await t.fetch(t.url('/api/v1/pages/Twin_Page', 'legacy'), { headers: { authorization: `Bearer ${token}` } });
  assert.equal(gone.status, 404);
});

it('finds pages whose files other git clients named their own way (spaces and underscores mixed, decomposed Unicode), and writes, renames and deletes them in place', async () => {
  const { work, push } = cloneWiki();
  write(work, 'Notes_2024/My Page_v2.md', '# Mixed\n\nSee [[Café Menu]].\n');
  write(work, 'Cafe\u0301 Menu.md', '# Menu\n\nBack to [[Notes 2024/My Page v2]].\n'); // as macOS writes é
  push('Files named by hand');
  const listed = ((await get('/api/v1/pages')).pages as { path: string }[]).map((p) => p.path);
  assert.ok(listed.includes('Notes_2024/My_Page_v2') && listed.includes('Café_Menu'), listed.join(', '));
  const mixed = await get('/api/v1/pages/Notes_2024/My Page v2');
  assert.match(mixed.content as string, /# Mixed/);
  assert.deepEqual(mixed.linked_from, ['Café_Menu']);
  assert.deepEqual((await get('/api/v1/pages/Café_Menu')).linked_from, ['Notes_2024/My_Page_v2']);

  // An edit writes the file that is there, under its own name.
  const res = await t.fetch(t.url('/api/v1/pages/Café_Menu', 'legacy'), {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content: '# Menu\n\nUpdated.\n', revision: (await get('/api/v1/pages/Café_Menu')).revision }),
  });
  const edited = (await res.json()) as { revision: string };
  assert.equal(res.status, 200, JSON.stringify(edited));
  await waitForBranch(gitdir, edited.revision);
  const ls = () => execFileSync('git', ['--git-dir', gitdir, '-c', 'core.quotePath=false', 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).split('\n');
  assert.ok(ls().includes('Cafe\u0301 Menu.md') && !ls().some((f) => f.normalize('NFC') === 'Café_Menu.md' || f === 'Café Menu.md'), ls().join(', '));

  // A rename leaves no file behind under the old name, an underscore twin included.
  write(work, 'Notes_2024/My_Page_v2.md', '# Twin\n');
  execFileSync('git', ['-C', work, 'pull', '-q', '--rebase', 'origin', 'main'], { env: process.env });
  push('An underscore twin');
  assert.match((await get('/api/v1/pages/Notes_2024/My_Page_v2')).content as string, /# Twin/, 'the underscore file is the page');
  const renamed = await t.fetch(t.url('/api/v1/pages/Notes_2024/My_Page_v2/rename', 'legacy'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ new_path: 'Notes_2024/Renamed' }),
  });
  const moved = (await renamed.json()) as { revision: string };
  assert.equal(renamed.status, 200, JSON.stringify(moved));
  await waitForBranch(gitdir, moved.revision);
  assert.deepEqual(ls().filter((f) => f.startsWith('Notes_2024/')), ['Notes_2024/Renamed.md']);
  const old = await t.fetch(t.url('/api/v1/pages/Notes_2024/My_Page_v2', 'legacy'), { headers: { authorization: `Bearer ${token}` } });
  assert.equal(old.status, 404);
});

it('renames a page linked from a page that is not UTF-8, and says that page still links to the old name', async () => {
  const { work, push } = cloneWiki();
  write(work, 'Target.md', '# Target\n');
  fs.writeFileSync(path.join(work, 'Latin.md'), Buffer.from('Caf\xe9 menu: see [[Target]].\n', 'latin1'));
  push('A Latin-1 page');
  const res = await t.fetch(t.url('/api/v1/pages/Target/rename', 'legacy'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ new_path: 'Target_Moved' }),
  });
  const answer = (await res.json()) as { revision: string; updated_pages: string[]; unchanged_pages: string[] };
  assert.equal(res.status, 200, JSON.stringify(answer));
  assert.deepEqual([answer.updated_pages, answer.unchanged_pages], [[], ['Latin']]);
  await waitForBranch(gitdir, answer.revision);
  const bytes = execFileSync('git', ['--git-dir', gitdir, 'show', 'main:Latin.md']);
  assert.equal(bytes.toString('latin1'), 'Caf\xe9 menu: see [[Target]].\n', 'left byte for byte');
});

it('shows an attachment with twin folders (My Page/ beside My_Page/) from the page\'s own folder, writes over that one, and deletes every twin', async () => {
  const { work, push } = cloneWiki();
  write(work, 'Twin_Att.md', '# Twin attachments\n');
  write(work, 'Twin_Att/x.txt', 'underscore folder\n');
  write(work, 'Twin Att/x.txt', 'legacy folder\n');
  write(work, 'Twin Att/y.txt', 'only here\n');
  push('Attachments in two folders');
  const files = (await get('/api/v1/pages/Twin_Att/attachments')).attachments as { filename: string }[];
  assert.deepEqual(files.map((f) => f.filename), ['x.txt', 'y.txt']);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const read = await t.fetch(t.url('/api/v1/pages/Twin_Att/attachments/x.txt', 'legacy'), { headers: { authorization: `Bearer ${token}` } });
  assert.equal(await read.text(), 'underscore folder\n');

  const upload = await t.fetch(t.url('/api/v1/pages/Twin_Att/attachments', 'legacy'), { method: 'POST', headers, body: JSON.stringify({ filename: 'x.txt', content: Buffer.from('uploaded\n').toString('base64') }) });
  const uploaded = (await upload.json()) as { revision: string };
  assert.equal(upload.status, 201, JSON.stringify(uploaded));
  await waitForBranch(gitdir, uploaded.revision);
  const show = (p: string) => execFileSync('git', ['--git-dir', gitdir, 'show', `main:${p}`], { encoding: 'utf8' });
  assert.deepEqual([show('Twin_Att/x.txt'), show('Twin Att/x.txt')], ['uploaded\n', 'legacy folder\n'], 'written over the file that is the attachment');

  const del = await t.fetch(t.url('/api/v1/pages/Twin_Att/attachments/x.txt', 'legacy'), { method: 'DELETE', headers });
  const deleted = (await del.json()) as { revision: string };
  assert.equal(del.status, 200, JSON.stringify(deleted));
  await waitForBranch(gitdir, deleted.revision);
  const ls = () => execFileSync('git', ['--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).split('\n').filter((f) => f.startsWith('Twin'));
  assert.deepEqual(ls(), ['Twin Att/y.txt', 'Twin_Att.md'], 'both x.txt gone');
  assert.deepEqual(((await get('/api/v1/pages/Twin_Att/attachments')).attachments as { filename: string }[]).map((f) => f.filename), ['y.txt']);

  // A rename takes the legacy folder's attachment along, and its twin of the same name goes.
  write(work, 'Twin_Att/y.txt', 'a twin of y\n');
  execFileSync('git', ['-C', work, 'pull', '-q', '--rebase', 'origin', 'main'], { env: process.env });
  push('A twin of y');
  const rename = await t.fetch(t.url('/api/v1/pages/Twin_Att/rename', 'legacy'), { method: 'POST', headers, body: JSON.stringify({ new_path: 'Twin_Moved' }) });
  const renamed = (await rename.json()) as { revision: string };
  assert.equal(rename.status, 200, JSON.stringify(renamed));
  await waitForBranch(gitdir, renamed.revision);
  assert.deepEqual(ls(), ['Twin_Moved.md', 'Twin_Moved/y.txt']);
  assert.equal(show('Twin_Moved/y.txt'), 'a twin of y\n', 'the attachment as it was shown');

  const page = await t.fetch(t.url('/api/v1/pages/Twin_Moved', 'legacy'), { method: 'DELETE', headers });
  const gone = (await page.json()) as { revision: string; attachments: string[] };
  assert.equal(page.status, 200, JSON.stringify(gone));
  assert.deepEqual(gone.attachments, ['y.txt']);
  await waitForBranch(gitdir, gone.revision);
  assert.deepEqual(ls(), []);
});

it('keeps a page\'s history when a stray second file for it comes and goes (My Page .md beside My_Page.md)', async () => {
  const { work, push } = cloneWiki();
  write(work, 'Stray_Page.md', 'the page\n');
  push('create');
  write(work, 'Stray Page .md', 'a stray copy\n');
  push('stray copy added');
  const page = await get('/api/v1/pages/Stray_Page');
  assert.equal(page.content, 'the page\n');
  assert.equal((await get(`/api/v1/pages/Stray_Page?revision=${page.revision as string}`)).content, 'the page\n');
  fs.rmSync(path.join(work, 'Stray Page .md'));
  push('stray copy removed');
  const after = await get('/api/v1/pages/Stray_Page');
  assert.equal(after.revision, page.revision, 'the page did not change');
  assert.equal((await get(`/api/v1/pages/Stray_Page?revision=${after.revision as string}`)).content, 'the page\n');
  const history = (await get('/api/v1/pages/Stray_Page/history')).history as { message: string }[];
  assert.deepEqual(history.map((h) => h.message), ['create']);
  const blame = await t.fetch(t.url('/api/v1/pages/Stray_Page/blame', 'legacy'), { headers: { authorization: `Bearer ${token}` } });
  assert.equal(blame.status, 200);
});
