/** Rename, revert, attachments and the link graph through the REST API, against the real stack. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDb } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, type Wiki } from '../../workers/lib/directory/wikis.ts';
import { waitForBranch } from '../helpers/git-cli.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
let wiki: Wiki;
let token: string;

before(async () => {
  t = await startTestStack();
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  await upsertUser(db, { did: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', handle: 'alice.example.com', displayName: 'Alice' }, { kind: 'system' });
  wiki = await createWiki(db, { slug: 'ops', ownerDid: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa' }, { kind: 'system' });
  token = (await mintPersonalAccessToken(db, { wiki, userDid: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', name: 't', scopes: ['read', 'write'], expiresAt: null }, { kind: 'system' })).token;
  client.close();
});
after(() => t.stop());

async function call(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await t.fetch(t.url(pathname, 'ops'), {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    // raw
  }
  return { status: res.status, json, bytes, headers: res.headers };
}

const put = (key: string, content: string) => call('PUT', `/api/v1/pages/${key}`, { content });
const gitdir = () => path.join(t.dataDir, 'git', `${wiki.id}.git`);
/** The wiki's head, as the index has it. */
const head = async () => ((await call('GET', '/api/v1/changelog?limit=1')).json.entries as { revision: string }[])[0]!.revision;

describe('rename', () => {
  it('moves the page and its attachments and rewrites links in one commit', async () => {
    await put('Projects/Atlas', '# Atlas\n\n![map](/Projects/Atlas/map.png)\n');
    await call('POST', '/api/v1/pages/Projects/Atlas/attachments', { filename: 'map.png', content: Buffer.from([1, 2, 3]).toString('base64') });
    await put('Index', 'See [[Projects/Atlas]], [[the atlas|Projects/Atlas#Plan]] and [x](/Projects/Atlas).\n\n`[[Projects/Atlas]]` stays.\n');
    await waitForBranch(gitdir(), await head());
    const before = Number(execFileSync('git', ['--git-dir', gitdir(), 'rev-list', '--count', 'main'], { encoding: 'utf8' }));
    const renamed = await call('POST', '/api/v1/pages/Projects/Atlas/rename', { new_path: 'Archive/Atlas Old' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.json));
    assert.deepEqual(renamed.json.updated_pages, ['Index']);
    assert.deepEqual(renamed.json.unchanged_pages, []);
    await waitForBranch(gitdir(), await head());
    assert.equal(Number(execFileSync('git', ['--git-dir', gitdir(), 'rev-list', '--count', 'main'], { encoding: 'utf8' })), before + 1, 'one commit');

    assert.equal((await call('GET', '/api/v1/pages/Projects/Atlas')).status, 404);
    const moved = await call('GET', '/api/v1/pages/Archive/Atlas_Old');
    assert.match(moved.json.content as string, /# Atlas/);
    assert.deepEqual(moved.json.linked_from, ['Index']);
    const index = await call('GET', '/api/v1/pages/Index');
    assert.equal(index.json.content, 'See [[Archive/Atlas Old]], [[the atlas|Archive/Atlas Old#Plan]] and [x](/Archive/Atlas_Old).\n\n`[[Projects/Atlas]]` stays.\n');
    const files = await call('GET', '/api/v1/pages/Archive/Atlas_Old/attachments');
    assert.deepEqual((files.json.attachments as { filename: string }[]).map((a) => a.filename), ['map.png']);
    assert.match(execFileSync('git', ['--git-dir', gitdir(), 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }), /^Archive\/Atlas_Old\/map\.png$/m);
  });
  it('follows every link the index lists to the renamed page: relative, bare, reference and the page\'s own', async () => {
    await put('Folder', '# Folder\n\n[sub](./Sub), [bare](Folder/Sub), [ref][1], ![pic](./Sub/photo.png)\n\n[1]: /Folder/Sub\n');
    await put('Folder/Sub', '# Sub\n\nSelf: [[Folder/Sub#top]] and [me](/Folder/Sub). Child: [c](./Child). Sibling: [s](./../Other).\n');
    await put('Folder/Sub/Child', '# Child\n');
    await put('Folder/Other', '# Other\n');
    await call('POST', '/api/v1/pages/Folder/Sub/attachments', { filename: 'photo.png', content: Buffer.from([9]).toString('base64') });
    const before = (await call('GET', '/api/v1/pages/Folder/Sub')).json.linked_from as string[];
    assert.deepEqual(before, ['Folder'], 'the index leaves out links to oneself');

    const renamed = await call('POST', '/api/v1/pages/Folder/Sub/rename', { new_path: 'Plan (draft)' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.json));
    const broken = ((await call('GET', '/api/v1/broken-links')).json.links as { src: string; dst: string }[]).filter((l) => l.src.startsWith('Folder') || l.src.startsWith('Plan'));
    assert.deepEqual(broken, [], 'no link broken by the rename');
    const moved = await call('GET', '/api/v1/pages/Plan_(draft)');
    assert.deepEqual(moved.json.linked_from, ['Folder']);
    assert.deepEqual((moved.json.links_to as string[]).sort(), ['Folder/Other', 'Folder/Sub/Child'], 'its child and sibling links still lead where they led');
    assert.equal(moved.json.content, '# Sub\n\nSelf: [[Plan (draft)#top]] and [me](/Plan_%28draft%29). Child: [c](/Folder/Sub/Child). Sibling: [s](/Folder/Other).\n');
    assert.equal((await call('GET', '/api/v1/pages/Folder')).json.content, '# Folder\n\n[sub](/Plan_%28draft%29), [bare](/Plan_%28draft%29), [ref][1], ![pic](/Plan_%28draft%29/a/photo.png)\n\n[1]: /Plan_%28draft%29\n');
    const picture = await t.fetch(t.url('/Plan_%28draft%29/a/photo.png', 'ops'), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(picture.status, 200, 'the image address leads to the moved attachment');
  });

  it('refuses to overwrite an existing page or rename a missing one', async () => {
    await put('Taken', 'x');
    assert.equal((await call('POST', '/api/v1/pages/Index/rename', { new_path: 'Taken' })).status, 409);
    assert.equal((await call('POST', '/api/v1/pages/Nope/rename', { new_path: 'Other' })).status, 404);
    assert.equal((await call('POST', '/api/v1/pages/Index/rename', { new_path: '../escape' })).status, 400);
    assert.equal((await call('POST', '/api/v1/pages/Index/rename', { new_path: 'Index' })).status, 400);
  });
});

describe('revert', () => {
  it('undoes a commit, and refuses when later commits touched the same files', async () => {
    const v1 = await put('Doc', 'one\n');
    const v2 = await call('PUT', '/api/v1/pages/Doc', { content: 'two\n', revision: v1.json.revision });
    const stale = await call('POST', '/api/v1/revert', { revision: v1.json.revision });
    assert.equal(stale.status, 409);
    assert.match(stale.json.message as string, /later changes touched Doc\.md/);
    const reverted = await call('POST', '/api/v1/revert', { revision: (v2.json.revision as string).slice(0, 10) });
    assert.equal(reverted.status, 200, JSON.stringify(reverted.json));
    assert.deepEqual(reverted.json.changed, ['Doc.md']);
    assert.equal((await call('GET', '/api/v1/pages/Doc')).json.content, 'one\n');
    const diff = await call('GET', `/api/v1/pages/Doc/diff?from=${v1.json.revision}&to=${v2.json.revision}`);
    assert.equal(diff.status, 200, JSON.stringify(diff.json));
    assert.match(diff.json.diff as string, /^--- Doc@[0-9a-f]{7}\n\+\+\+ Doc@[0-9a-f]{7}\n@@ -1 \+1 @@\n-one\n\+two\n$/);
    assert.equal((await call('GET', '/api/v1/pages/Doc/diff?from=zz')).status, 400);
    const history = (await call('GET', '/api/v1/pages/Doc/history')).json.history as { message: string }[];
    assert.match(history[0]!.message, /^Revert [0-9a-f]{7}: Update Doc$/);
    assert.equal((await call('POST', '/api/v1/revert', { revision: 'nothex!' })).status, 400);
    assert.equal((await call('POST', '/api/v1/revert', { revision: 'deadbeef' })).status, 404);
  });
});

describe('attachments', () => {
  it('uploads, lists, downloads byte-exact and deletes', async () => {
    await put('Files', '# Files\n');
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    const up = await call('POST', '/api/v1/pages/Files/attachments', { filename: 'my report (1).bin', content: bytes.toString('base64') });
    assert.equal(up.status, 201, JSON.stringify(up.json));
    assert.equal(up.json.filename, 'my_report_1.bin');
    const raw = await call('GET', '/api/v1/pages/Files/attachments/my_report_1.bin', undefined, { accept: '*/*' });
    assert.deepEqual(Buffer.from(raw.bytes), bytes);
    const b64 = await call('GET', '/api/v1/pages/Files/attachments/my_report_1.bin?format=base64');
    assert.equal(b64.json.content, bytes.toString('base64'));
    assert.equal((await call('DELETE', '/api/v1/pages/Files/attachments/my_report_1.bin')).status, 200);
    assert.equal((await call('GET', '/api/v1/pages/Files/attachments/my_report_1.bin')).status, 404);
  });
  it('serves HTML and SVG so they cannot run script on the wiki origin', async () => {
    for (const [name, content] of [['evil.html', '<script>alert(1)</script>'], ['evil.svg', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>']] as const) {
      await call('POST', '/api/v1/pages/Files/attachments', { filename: name, content: Buffer.from(content).toString('base64') });
      const res = await call('GET', `/api/v1/pages/Files/attachments/${name}`, undefined, { accept: 'text/html' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/);
      assert.doesNotMatch(res.headers.get('content-type') ?? '', /html|svg/);
      assert.match(res.headers.get('content-security-policy') ?? '', /sandbox/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
  });
  it('refuses bad names, missing pages, bad base64 and oversized files', async () => {
    const ok = Buffer.from('x').toString('base64');
    assert.equal((await call('POST', '/api/v1/pages/Files/attachments', { filename: '../../etc', content: ok })).status === 201, true, 'secured into a plain name');
    assert.equal((await call('POST', '/api/v1/pages/Files/attachments', { filename: '...', content: ok })).status, 400);
    assert.equal((await call('POST', '/api/v1/pages/Files/attachments', { filename: 'page.md', content: ok })).status, 400);
    assert.equal((await call('POST', '/api/v1/pages/Missing/attachments', { filename: 'a.txt', content: ok })).status, 404);
    assert.equal((await call('POST', '/api/v1/pages/Files/attachments', { filename: 'a.txt', content: '!!not base64!!' })).status, 400);
    const big = Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64');
    assert.equal((await call('POST', '/api/v1/pages/Files/attachments', { filename: 'big.bin', content: big })).status, 413);
  });
});

describe('partial edits', () => {
  it('find-and-replace once, section replace and append, append and prepend, section read', async () => {
    await put('Guide', '# Guide\n\nIntro.\n\n## Setup\n\nOld steps.\n\n### Install\n\nnpm i\n\n## Usage\n\nRun it. Run it.\n');
    const replaced = await call('PATCH', '/api/v1/pages/Guide', { old_string: 'npm i', new_string: 'npm ci' });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.json));
    assert.equal((await call('PATCH', '/api/v1/pages/Guide', { old_string: 'Run it.', new_string: 'x' })).status, 400, 'ambiguous');
    const missing = await call('PATCH', '/api/v1/pages/Guide', { old_string: 'not there', new_string: 'x' });
    assert.equal(missing.status, 400);
    assert.match(missing.json.message as string, /not found/);
    assert.equal((await call('PATCH', '/api/v1/pages/Guide', { section: 'Usage', content: 'Use it wisely.' })).status, 200);
    assert.equal((await call('PATCH', '/api/v1/pages/Guide', { append: 'More setup.', section: 'Setup' })).status, 200);
    assert.equal((await call('PATCH', '/api/v1/pages/Guide', { append: 'The end.' })).status, 200);
    assert.equal((await call('PATCH', '/api/v1/pages/Guide', { prepend: 'Read me first.' })).status, 200);
    const page = await call('GET', '/api/v1/pages/Guide');
    assert.equal(page.json.content, '# Guide\n\nRead me first.\n\nIntro.\n\n## Setup\n\nOld steps.\n\nMore setup.\n\n### Install\n\nnpm ci\n\n## Usage\n\nUse it wisely.\n\nThe end.\n');
    const section = await call('GET', '/api/v1/pages/Guide?section=Setup/Install');
    assert.equal(section.json.content, '### Install\n\nnpm ci\n\n');
    const stale = await call('PATCH', '/api/v1/pages/Guide', { append: 'x', revision: '0000000' });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.current_revision, page.json.revision);
    assert.equal((await call('PATCH', '/api/v1/pages/Guide', { section: 'Nope', content: 'x' })).status, 404);
    assert.equal((await call('PATCH', '/api/v1/pages/Guide', { bogus: true })).status, 400);
    const two = await call('PATCH', '/api/v1/pages/Guide', { append: 'A.', prepend: 'B.' });
    assert.equal(two.status, 400, 'two edits in one body are refused, not half applied');
    assert.match(two.json.message as string, /exactly one edit/);
    assert.equal((await call('GET', '/api/v1/pages/Guide')).json.revision, page.json.revision, 'nothing written');
    assert.equal((await call('PATCH', '/api/v1/pages/Guide', { old_string: 'npm ci', new_string: 'x', section: 'Setup' })).status, 400, 'find-and-replace takes no section');
  });
});

describe('link graph', () => {
  it('reports links, orphans and broken links from the index', async () => {
    await put('Graph/A', '[[Graph/B]] [[Graph/Missing]]');
    await put('Graph/B', 'back to [[Graph/A]]');
    await put('Graph/Lonely', 'no one links here');
    assert.deepEqual((await call('GET', '/api/v1/links/Graph/A')).json, { path: 'Graph/A', links_to: ['Graph/B', 'Graph/Missing'], linked_from: ['Graph/B'] });
    const orphans = (await call('GET', '/api/v1/orphans')).json.pages as string[];
    assert.ok(orphans.includes('Graph/Lonely'));
    assert.ok(!orphans.includes('Graph/A') && !orphans.includes('Home'));
    const broken = (await call('GET', '/api/v1/broken-links')).json.links as { src: string; dst: string }[];
    assert.deepEqual(broken.filter((l) => l.src.startsWith('Graph/')), [{ src: 'Graph/A', dst: 'Graph/Missing' }]);
    assert.equal((await call('GET', '/api/v1/no-such-route')).status, 404);
  });
});
