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
import { child, childrenNamed, parseXml, textOf } from '../helpers/xml.ts';

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

describe('feeds of recent changes', () => {
  const feedHeaders = (token: string | null, extra: Record<string, string> = {}) => ({ accept: 'application/rss+xml, application/atom+xml, */*', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra });

  async function feed(path: string, slug: string, token: string | null, extra: Record<string, string> = {}) {
    const res = await t.fetch(t.url(path, slug), { headers: feedHeaders(token, extra) });
    return { status: res.status, type: res.headers.get('content-type'), etag: res.headers.get('etag'), text: await res.text() };
  }

  it('serves RSS and Atom of a public wiki to anyone, one entry per commit, newest first, escaped', async () => {
    await put('Log', '# Log\n', { slug: 'pub', token: pubToken, message: 'First <b>entry</b> & more \u0007 bell' });
    const rss = await feed('/-/changelog/feed.rss', 'pub', null);
    assert.equal(rss.status, 200, rss.text);
    assert.equal(rss.type, 'application/rss+xml; charset=utf-8');
    const channel = child(parseXml(rss.text), 'channel');
    assert.equal(textOf(child(channel, 'title')), 'Open — recent changes');
    assert.match(textOf(child(channel, 'link')), /^https?:\/\/pub\.wiki\.localhost(?::\d+)?\/-\/changes$/);
    const items = childrenNamed(channel, 'item');
    // The bell never reaches the feed: a commit message keeps no control characters.
    assert.deepEqual(items.map((i) => textOf(child(i, 'title'))), ['Log: First <b>entry</b> & more   bell', 'Home: Initial commit']);
    assert.match(textOf(child(items[0]!, 'link')), /\/Log\/diff\?to=[0-9a-f]{40}$/);
    assert.equal(textOf(child(items[0]!, 'dc:creator')), 'Alice');

    const atom = await feed('/-/changelog/feed.atom', 'pub', null);
    assert.equal(atom.status, 200);
    assert.equal(atom.type, 'application/atom+xml; charset=utf-8');
    const entries = childrenNamed(parseXml(atom.text), 'entry');
    assert.equal(entries.length, 2);
    assert.equal(textOf(child(entries[0]!, 'title')), 'Log: First <b>entry</b> & more   bell');
  });

  it('answers a private wiki\'s feed only to members (token or session), never to others', async () => {
    for (const path of ['/-/changelog/feed.rss', '/-/changelog/feed.atom']) {
      const anonymous = await feed(path, 'demo', null);
      assert.equal(anonymous.status, 401, path);
      assert.doesNotMatch(anonymous.text, /Notes\/Trip|<item>|<entry>/);
      assert.equal((await feed(path, 'demo', pubToken)).status, 401, 'a token of another wiki');
      const viewer = await feed(path, 'demo', bobToken);
      assert.equal(viewer.status, 200, viewer.text);
      parseXml(viewer.text);
      assert.match(viewer.text, /Notes\/Trip/);
      const session = await feed(path, 'demo', null, { cookie: `wf_session=${alice.token}` });
      assert.equal(session.status, 200);
    }
  });

  it('answers 304 while the wiki has not changed, and the new entry once it has', async () => {
    const first = await feed('/-/changelog/feed.atom', 'demo', aliceToken);
    assert.match(first.etag ?? '', /^W\/"[0-9a-f]{40}-atom"$/);
    const again = await feed('/-/changelog/feed.atom', 'demo', aliceToken, { 'if-none-match': first.etag! });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    await put('Notes/Trip/Day_1', '# Day 1\n', { message: 'Day one' });
    const changed = await feed('/-/changelog/feed.atom', 'demo', aliceToken, { 'if-none-match': first.etag! });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.etag, first.etag);
    assert.equal(textOf(child(childrenNamed(parseXml(changed.text), 'entry')[0]!, 'title')), 'Notes/Trip/Day_1: Day one');
  });

  it('is announced in every page\'s head and on recent changes, and /-/changelog leads to recent changes', async () => {
    const page = await alice.get('/Notes/Trip');
    assert.match(page.text, /<link rel="alternate" type="application\/rss\+xml" title="Demo &amp; &lt;Friends&gt;: recent changes \(RSS\)" href="\/-\/changelog\/feed.rss">/);
    assert.match(page.text, /<link rel="alternate" type="application\/atom\+xml" title="[^"]*\(Atom\)" href="\/-\/changelog\/feed.atom">/);
    const changes = await alice.get('/-/changes');
    assert.match(changes.text, /<a href="\/-\/changelog\/feed.rss">RSS<\/a> · <a href="\/-\/changelog\/feed.atom">Atom<\/a>/);
    assert.match(changes.text, /<li class="change-entry" id="[0-9a-f]{40}">/);
    const signIn = await anon.get('/');
    assert.equal(signIn.status, 401);
    assert.doesNotMatch(signIn.text, /changelog\/feed/, 'a private wiki announces nothing to strangers');
    const redirect = await alice.get('/-/changelog');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.location, '/-/changes');
  });
});

describe('blame', () => {
  let r1: string;
  let r2: string;
  let r3: string;

  before(async () => {
    r1 = await put('Blame/Me', 'a\nb <script>alert(1)</script>\nc\n', { message: 'one' });
    r2 = await put('Blame/Me', 'a\nB\nc\n', { message: 'two' });
    r3 = await put('Blame/Me', 'a\nB\nc\nd\n', { message: 'three\n\nwith a body' });
  });

  type Blamed = { line: number; text: string; revision: string; older: boolean };

  it('tells over the REST API which commit last changed each line, from the index', async () => {
    const r = await call('GET', '/api/v1/pages/Blame/Me/blame');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.path, 'Blame/Me');
    assert.equal(r.json.revision, r3);
    assert.equal(r.json.complete, true);
    assert.equal(r.json.compared, 3);
    assert.deepEqual(r.json.lines as Blamed[], [
      { line: 1, text: 'a', revision: r1, older: false },
      { line: 2, text: 'B', revision: r2, older: false },
      { line: 3, text: 'c', revision: r1, older: false },
      { line: 4, text: 'd', revision: r3, older: false },
    ]);
    assert.deepEqual((r.json.commits as { revision: string; author: string; message: string }[]).map((c) => [c.revision, c.author, c.message]), [
      [r3, 'Alice', 'three\n\nwith a body'],
      [r2, 'Alice', 'two'],
      [r1, 'Alice', 'one'],
    ]);
  });

  it('blames an older version, and says when it stopped comparing before the page began', async () => {
    const old = await call('GET', `/api/v1/pages/Blame/Me/blame?revision=${r2.slice(0, 7)}`);
    assert.equal(old.status, 200, old.text);
    assert.equal(old.json.revision, r2);
    assert.deepEqual((old.json.lines as Blamed[]).map((l) => [l.text, l.revision]), [['a', r1], ['B', r2], ['c', r1]]);

    const bounded = await call('GET', '/api/v1/pages/Blame/Me/blame?limit=2');
    assert.equal(bounded.json.complete, false);
    assert.equal(bounded.json.compared, 2);
    assert.deepEqual((bounded.json.lines as Blamed[]).map((l) => [l.text, l.revision, l.older]), [['a', r2, true], ['B', r2, true], ['c', r2, true], ['d', r3, false]]);
  });

  it('answers missing pages, bad revisions and bad limits, with the usual access rules', async () => {
    assert.equal((await call('GET', '/api/v1/pages/Nowhere/blame')).status, 404);
    assert.equal((await call('GET', '/api/v1/pages/Blame/Me/blame?revision=zzz')).status, 400);
    assert.equal((await call('GET', '/api/v1/pages/Blame/Me/blame?revision=0000000')).status, 404);
    assert.equal((await call('GET', '/api/v1/pages/Blame/Me/blame?limit=0')).status, 400);
    assert.equal((await call('GET', '/api/v1/pages/Blame/Me/blame?limit=201')).status, 400);
    assert.equal((await call('GET', '/api/v1/pages/Blame/Me/blame', { token: bobToken })).status, 200);
    assert.equal((await call('GET', '/api/v1/pages/Blame/Me/blame', { token: null })).status, 401);
  });

  it('shows a blame page in the UI, linked from the history and from old revisions, escaped', async () => {
    const history = await alice.get('/Blame/Me/history');
    assert.match(history.text, /<a href="\/Blame\/Me\/blame">Blame<\/a>/);
    const page = await alice.get('/Blame/Me/blame');
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>Blame of Me<\/h1>/);
    assert.match(page.text, new RegExp(`<tr class="blame-start" id="L2"><td class="blame-commit"><code><a href="/Blame/Me/view/${r2}" title="two">${r2.slice(0, 7)}</a></code><div class="muted small blame-message">two</div></td>`));
    assert.match(page.text, /<td class="blame-number"><a href="#L4">4<\/a><\/td><td class="blame-line"><code>d<\/code><\/td>/);
    assert.doesNotMatch(page.text, /or older/);

    const oldVersion = await alice.get(`/Blame/Me/blame?revision=${r1}`);
    assert.match(oldVersion.text, /b &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(oldVersion.text, /<script>alert/);
    const revision = await alice.get(`/Blame/Me/view/${r1}`);
    assert.match(revision.text, new RegExp(`<a href="/Blame/Me/blame\\?revision=${r1}">Blame of this version</a>`));

    const bounded = await alice.get('/Blame/Me/blame?limit=1');
    assert.match(bounded.text, /Only the latest 1 revisions were compared/);
    assert.match(bounded.text, /or older/);
    assert.match(bounded.text, /<a href="\/Blame\/Me\/blame\?limit=200">Compare up to 200 revisions<\/a>/);
    assert.equal((await anon.get('/Blame/Me/blame')).status, 401);
    assert.equal((await alice.get('/Nowhere/blame')).status, 404);
  });
});
