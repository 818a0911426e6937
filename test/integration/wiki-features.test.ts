/**
 * Otterwiki features of the wiki over HTTP against the real stack: spoilers
 * and folds, `./` images and links resolving to the page's attachments and
 * subpages, names new pages may not use (REST 400, UI form errors), RSS and
 * Atom feeds of recent changes, and blame.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDb } from '../../workers/lib/db.ts';
import { setMember } from '../../workers/lib/directory/members.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { sessionToken, UiClient } from '../helpers/wiki-ui.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const system = { kind: 'system' } as const;
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

let t: TestStack;
/** Alice owns `demo` (private) and `pub` (public); Bob is a viewer of `demo`. */
let aliceToken: string;
let bobToken: string;
let pubToken: string;
let alice: UiClient;
let anon: UiClient;

before(async () => {
  t = await startTestStack();
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
  await upsertUser(db, { did: BOB, handle: 'bob.example.com', displayName: 'Bob' }, system);
  const demo = await createWiki(db, { slug: 'demo', ownerDid: ALICE, title: 'Demo & <Friends>' }, system);
  const pub = await createWiki(db, { slug: 'pub', ownerDid: ALICE, title: 'Open', visibility: 'public' }, system);
  await setMember(db, demo, BOB, 'viewer', system);
  aliceToken = (await mintPersonalAccessToken(db, { wiki: demo, userDid: ALICE, name: 't', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  bobToken = (await mintPersonalAccessToken(db, { wiki: demo, userDid: BOB, name: 't', scopes: ['read'], expiresAt: null }, system)).token;
  pubToken = (await mintPersonalAccessToken(db, { wiki: pub, userDid: ALICE, name: 't', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  client.close();
  alice = new UiClient(t, 'demo', await sessionToken(t, 'alice.example.com'));
  anon = new UiClient(t, 'demo', null);
});
after(() => t.stop());

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

async function call(method: string, pathname: string, options: { token?: string | null; body?: unknown; slug?: string; accept?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  const token = options.token === undefined ? aliceToken : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await t.fetch(t.url(pathname, options.slug ?? 'demo'), { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers as unknown as Headers, text, json };
}

async function put(key: string, content: string, options: { slug?: string; token?: string; message?: string } = {}): Promise<string> {
  const path = `/api/v1/pages/${key.split('/').map(encodeURIComponent).join('/')}`;
  const current = await call('GET', path, { ...options });
  const body = { content, ...(current.status === 200 ? { revision: current.json.revision } : {}), ...(options.message ? { commit_message: options.message } : {}) };
  const r = await call('PUT', path, { ...options, body });
  assert.ok(r.status === 200 || r.status === 201, `PUT ${key}: ${r.text}`);
  return r.json.revision as string;
}

describe('spoilers, folds and ./ paths in pages', () => {
  before(async () => {
    await put('Notes/Trip', [
      '# Trip',
      '',
      '![the view](./photo.png) and [day one](./Day_1), [up](./../Packing), [escape](./../../../../etc/passwd)',
      '',
      '>! The ending: [[Home]].',
      '',
      '>| # What we packed',
      '>| - boots',
      '',
    ].join('\n'));
    const upload = await call('POST', '/api/v1/pages/Notes/Trip/attachments', { body: { filename: 'photo.png', content: Buffer.from(PNG).toString('base64') } });
    assert.equal(upload.status, 201, upload.text);
  });

  it('renders spoilers and folds as details elements', async () => {
    const page = await alice.get('/Notes/Trip');
    assert.equal(page.status, 200);
    assert.match(page.text, /<details class="spoiler">\s*<summary class="spoiler-button">Spoiler<\/summary>\s*<div class="spoiler-content">\s*<p>The ending: <a href="\/Home" class="wikilink">Home<\/a>\.<\/p>/);
    assert.match(page.text, /<details class="collapse-panel">\s*<summary class="collapse-header">What we packed<\/summary>\s*<div class="collapse-content">\s*<ul>\s*<li>boots<\/li>/);
  });

  it('shows ./ images from the page\'s attachments, links ./ subpages, and never leaves the wiki', async () => {
    const page = await alice.get('/Notes/Trip');
    assert.match(page.text, /<img src="\/Notes\/Trip\/a\/photo.png" alt="the view" class="img-fluid">/);
    assert.match(page.text, /<a href="\/Notes\/Trip\/Day_1"[^>]*>day one<\/a>/);
    assert.match(page.text, /<a href="\/Notes\/Packing"[^>]*>up<\/a>/);
    assert.match(page.text, /<a href="#harmful-link">escape<\/a>/);
    assert.doesNotMatch(page.text, /etc\/passwd"/);
    const img = await t.fetch(t.url('/Notes/Trip/a/photo.png', 'demo'), { headers: { cookie: `wf_session=${alice.token}` } });
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.deepEqual(new Uint8Array(await img.arrayBuffer()), PNG);
  });

  it('counts ./ subpage links in the link graph, and previews them as the edited page', async () => {
    const links = await call('GET', '/api/v1/links/Notes/Trip');
    assert.deepEqual(links.json.links_to, ['Home', 'Notes/Packing', 'Notes/Trip/Day_1']);
    const { csrf } = await alice.form('/Notes/Trip/edit');
    const preview = await alice.post('/-/preview?page=Notes/Trip', { content: '![x](./photo.png)' }, { 'x-csrf-token': csrf, accept: 'application/json' });
    assert.equal(preview.status, 200, preview.text);
    assert.match(JSON.parse(preview.text).html as string, /src="\/Notes\/Trip\/a\/photo.png"/);
  });
});

describe('names new pages may not use', () => {
  it('refuses # ? : | $ . ! in new pages over the REST API with a 400 that says why', async () => {
    for (const name of ['A#B', 'Why?', 'Time: Now', 'a|b', 'Cost $5', 'Report.Final', 'Wow!', 'Notes/v1.2']) {
      const r = await call('PUT', `/api/v1/pages/${encodeURIComponent(name)}`, { body: { content: 'x' } });
      assert.equal(r.status, 400, `${name}: ${r.text}`);
      assert.equal(r.json.error, 'invalid');
      assert.equal(r.json.reason, 'forbidden_character');
      assert.match(r.json.message as string, /cannot be the name of a new page: it contains/);
    }
    const notCreated = await call('GET', `/api/v1/pages/${encodeURIComponent('Time: Now')}`);
    assert.equal(notCreated.status, 404);
    const rename = await call('POST', '/api/v1/pages/Notes/Trip/rename', { body: { new_path: 'Notes/Trip: 2024' } });
    assert.equal(rename.status, 400);
    assert.equal(rename.json.reason, 'forbidden_character');
  });

  it('shows a form error on /-/create, in the editor and on rename, and offers no creation of such a page', async () => {
    const create = await alice.get(`/-/create?name=${encodeURIComponent('Q&A: #1')}`);
    assert.equal(create.status, 400);
    assert.match(create.text, /&quot;Q&amp;A: #1&quot; cannot be the name of a new page: it contains &quot;:&quot; and &quot;#&quot;/);
    assert.match(create.text, /value="Q&amp;A: #1"/);
    const ok = await alice.get(`/-/create?name=${encodeURIComponent('Q&A one')}`);
    assert.equal(ok.status, 303);
    assert.equal(ok.location, '/Q%26A_one/edit');

    const editor = await alice.get('/Why%3F/edit');
    assert.equal(editor.status, 400);
    assert.match(editor.text, /cannot be the name of a new page: it contains &quot;\?&quot;/);
    const { csrf } = await alice.form('/Notes/Trip/edit');
    const save = await alice.post('/Why%3F/edit', { _csrf: csrf, revision: '', content: '# Why', commit_message: '', action: 'save' });
    assert.equal(save.status, 400);
    assert.match(save.text, /cannot be the name of a new page/);
    assert.match(save.text, /# Why\n?<\/textarea>/, 'the text is kept');

    const missing = await alice.get('/Why%3F');
    assert.equal(missing.status, 404);
    assert.doesNotMatch(missing.text, /Create this page/);
    assert.match(missing.text, /cannot be the name of a new page/);

    const form = await alice.form('/Notes/Trip/rename');
    const rename = await alice.post('/Notes/Trip/rename', { _csrf: form.csrf, revision: form.revision, new_name: 'Notes/Trip!', commit_message: '' });
    assert.equal(rename.status, 400);
    assert.match(rename.text, /cannot be the name of a new page: it contains &quot;!&quot;/);
  });
});
