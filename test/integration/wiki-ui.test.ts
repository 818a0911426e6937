/**
 * The wiki's web UI over HTTP against the real stack: every page and form,
 * POST/redirect/GET, CSRF refusals (no token, a wrong one, another origin, a
 * sibling wiki), private wikis showing nothing to non-members, security
 * headers, and escaping of what users write.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { setMember } from '../../workers/lib/directory/members.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, type Wiki } from '../../workers/lib/directory/wikis.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { inputValue, sessionToken, textareaValue, UiClient, type UiResponse } from '../helpers/wiki-ui.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const CAROL = 'did:plc:cccccccccccccccccccccccc';
const system = { kind: 'system' } as const;
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

let t: TestStack;
let db: Db;
let closeDb: () => void;
let demo: Wiki;
/** Alice: owner of every wiki. Bob: viewer of demo. Carol: member of nothing. */
let alice: UiClient;
let bob: UiClient;
let carol: UiClient;
let anon: UiClient;
let alicePub: UiClient;
let anonPub: UiClient;

before(async () => {
  t = await startTestStack();
  const opened = openDb({ url: t.stack.sqldUrl });
  db = opened.db;
  closeDb = () => opened.client.close();
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice Liddell' }, system);
  await upsertUser(db, { did: BOB, handle: 'bob.example.com' }, system);
  await upsertUser(db, { did: CAROL, handle: 'carol.example.com' }, system);
  demo = await createWiki(db, { slug: 'demo', ownerDid: ALICE, title: 'Secret Garden', description: 'Hidden notes.' }, system);
  await createWiki(db, { slug: 'pub', ownerDid: ALICE, title: 'Open Field', visibility: 'public' }, system);
  await createWiki(db, { slug: 'other', ownerDid: ALICE, title: 'Other' }, system);
  await setMember(db, demo, BOB, 'viewer', system);
  const [a, b, c] = await Promise.all([sessionToken(t, 'alice.example.com'), sessionToken(t, 'bob.example.com'), sessionToken(t, 'carol.example.com')]);
  alice = new UiClient(t, 'demo', a);
  bob = new UiClient(t, 'demo', b);
  carol = new UiClient(t, 'demo', c);
  anon = new UiClient(t, 'demo', null);
  alicePub = new UiClient(t, 'pub', a);
  anonPub = new UiClient(t, 'pub', null);
});
after(async () => {
  closeDb();
  await t.stop();
});

function expectRedirect(r: UiResponse, location: string): void {
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.equal(r.location, location);
}

/** No inline script (a <script> without src) and no style attributes or elements. */
function assertNoInline(html: string): void {
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline script');
  assert.doesNotMatch(html, /\sstyle\s*=/i, 'style attribute');
  assert.doesNotMatch(html, /<style/i, 'style element');
}

describe('reading', () => {
  it('shows the home page at / with the layout, sidebar, toc-free body and last change', async () => {
    const r = await alice.get('/');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(r.text, /<title>Secret Garden · Secret Garden<\/title>/);
    assert.match(r.text, /<a class="brand" href="\/">Secret Garden<\/a>/);
    assert.match(r.text, /<form class="search-box" action="\/-\/search" method="get"/);
    for (const link of ['href="/"', 'href="/-/index"', 'href="/-/changes"', 'href="/-/create"']) assert.ok(r.text.includes(link), link);
    assert.match(r.text, /<span class="user" title="Signed in">Alice Liddell<\/span>/);
    assert.match(r.text, /<aside class="sidebar"[\s\S]*href="\/Home"/);
    assert.match(r.text, /Hidden notes\./);
    assert.match(r.text, /class="wikilink-missing"[^>]*>Getting Started|href="\/Getting_Started" class="wikilink-missing"/);
    assert.match(r.text, /Last changed <time datetime="[^"]+">[^<]+<\/time> by Wikifarm/);
    for (const action of ['edit', 'history', 'attachments', 'rename', 'delete']) assert.ok(r.text.includes(`href="/Home/${action}"`), action);
    assert.match(r.text, /<link rel="stylesheet" href="\/-\/static\/wiki.css">/);
    assertNoInline(r.text);
  });

  it('sends the strict CSP and the other security headers on pages, errors and redirects', async () => {
    for (const path of ['/', '/Nope', '/-/index', '/-/search?q=x', '/.bad', '/-/nothing', '/Home/view/0000000']) {
      const r = await alice.get(path);
      assert.equal(r.headers.get('content-security-policy'), CSP, path);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(r.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', path);
      assert.match(r.headers.get('cache-control') ?? '', /no-store/, path);
      assertNoInline(r.text);
    }
  });

  it('lets a viewer read, without any editing links, and refuses the editor', async () => {
    const r = await bob.get('/');
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes('/Home/edit'));
    assert.ok(!r.text.includes('/-/create'));
    assert.ok(r.text.includes('/Home/history'));
    const edit = await bob.get('/Home/edit');
    assert.equal(edit.status, 403);
    assert.match(edit.text, /read-only/);
    assert.equal(edit.headers.get('content-security-policy'), CSP);
  });

  it('answers a missing page with 404 and the offer to create it (to writers only)', async () => {
    const r = await alice.get('/Getting_Started');
    assert.equal(r.status, 404);
    assert.match(r.text, /There is no page <strong>Getting_Started<\/strong> yet/);
    assert.match(r.text, /<a class="button primary" href="\/Getting_Started\/edit">Create this page<\/a>/);
    const viewer = await bob.get('/Getting_Started');
    assert.equal(viewer.status, 404);
    assert.ok(!viewer.text.includes('Create this page'));
  });

  it('redirects a page name written another way to its own address, and refuses impossible names', async () => {
    const r = await alice.get('/Getting%20Started?x=1');
    assert.equal(r.status, 301);
    assert.equal(r.location, '/Getting_Started?x=1');
    const md = await alice.get('/Home.md');
    assert.equal(md.location, '/Home');
    const bad = await alice.get('/.hidden');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /starts with a dot/);
    assert.match(bad.headers.get('content-type') ?? '', /text\/html/);
    const unknown = await alice.get('/-/nothing');
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /<h1>Not found<\/h1>/);
  });

  it('answers programs that do not ask for HTML with the JSON errors every worker gives', async () => {
    const r = await t.fetch(t.url('/', 'demo'));
    assert.equal(r.status, 401);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    const missing = await t.fetch(t.url('/', 'nosuchwiki'), { headers: { accept: 'text/html' } });
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /no wiki named &#34;nosuchwiki&#34;|no wiki named &quot;nosuchwiki&quot;/);
  });
});

describe('private wikis', () => {
  it('asks anonymous visitors to sign in (401) and shows nothing of the wiki', async () => {
    for (const path of ['/', '/Home', '/Home/history', '/Home/edit', '/Home/attachments', '/Home/a/x.png', '/-/index', '/-/changes', '/-/search?q=garden', '/-/create', '/Nope']) {
      const r = await anon.get(path);
      assert.equal(r.status, 401, path);
      assert.match(r.text, /Sign in to continue/, path);
      assert.ok(!r.text.includes('Secret Garden'), `${path} shows the title`);
      assert.ok(!r.text.includes('Hidden notes'), `${path} shows content`);
      assert.ok(!r.text.includes('class="sidebar"'), `${path} shows the page tree`);
      assert.equal(r.headers.get('content-security-policy'), CSP);
    }
    const r = await anon.get('/Home/history');
    const href = /href="([^"]*\/auth\/login[^"]*)"/.exec(r.text)?.[1];
    assert.ok(href, r.text);
    const url = new URL(href.replaceAll('&amp;', '&'));
    assert.equal(url.origin, t.stack.origin);
    assert.equal(url.pathname, '/auth/login');
    assert.equal(url.searchParams.get('return_to'), t.url('/Home/history', 'demo'));
  });

  it('refuses anonymous form posts the same way, before anything else', async () => {
    const r = await anon.post('/Home/edit', { content: 'x', action: 'save' });
    assert.equal(r.status, 401);
    assert.ok(!r.text.includes('Secret Garden'));
  });

  it('tells a signed-in non-member (403) and shows nothing of the wiki', async () => {
    for (const path of ['/', '/Home/history', '/-/index', '/-/search?q=garden']) {
      const r = await carol.get(path);
      assert.equal(r.status, 403, path);
      assert.match(r.text, /not a member of &quot;demo&quot;|not a member of "demo"|not a member/);
      assert.ok(!r.text.includes('Secret Garden'), path);
      assert.ok(!r.text.includes('Hidden notes'), path);
      assert.ok(!r.text.includes('/auth/login'), 'a signed-in user is not asked to sign in');
    }
    const csrf = inputValue((await alice.get('/Home/edit')).text, '_csrf')!;
    const post = await carol.post('/Home/edit', { _csrf: csrf, content: 'x', action: 'save' });
    assert.equal(post.status, 403);
  });
});

describe('public wikis', () => {
  it('let anonymous visitors read, with a sign-in link and no editing links', async () => {
    const r = await anonPub.get('/');
    assert.equal(r.status, 200);
    assert.match(r.text, /Open Field/);
    assert.match(r.text, /<a class="user sign-in" href="[^"]*\/auth\/login\?return_to=/);
    assert.ok(!r.text.includes('/Home/edit'));
    const history = await anonPub.get('/Home/history');
    assert.equal(history.status, 200);
  });

  it('ask anonymous visitors to sign in to write, inside the wiki frame', async () => {
    const r = await anonPub.get('/Home/edit');
    assert.equal(r.status, 401);
    assert.match(r.text, /Sign in to change this wiki/);
    assert.match(r.text, /Open Field/);
    assert.match(r.text, /<a class="button primary" href="[^"]*\/auth\/login/);
    const missing = await anonPub.get('/Wanted');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /Sign in<\/a> to create it/);
  });

  it('let their members write', async () => {
    expectRedirect(await alicePub.savePage('Hello', '# Hello\n\nPublic words.\n'), '/Hello');
    assert.match((await anonPub.get('/Hello')).text, /Public words\./);
  });
});

describe('creating and editing', () => {
  let firstRevision = '';

  it('asks for a name at /-/create and sends the writer to the new page’s editor', async () => {
    const form = await alice.get('/-/create');
    assert.equal(form.status, 200);
    assert.match(form.text, /<form method="get" action="\/-\/create"/);
    const go = await alice.get('/-/create?name=Project%20Plan');
    expectRedirect(go, '/Project_Plan/edit');
    const bad = await alice.get('/-/create?name=..%2Fx');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /may not contain/);
    assert.equal((await bob.get('/-/create')).status, 403);
  });

  it('offers a new page’s editor with a heading, no base revision and the CSRF field', async () => {
    const r = await alice.get('/Project_Plan/edit');
    assert.equal(r.status, 200);
    assert.equal(textareaValue(r.text, 'content'), '# Project Plan\n\n');
    assert.equal(inputValue(r.text, 'revision'), '');
    assert.ok((inputValue(r.text, '_csrf') ?? '').length > 20);
    assert.match(r.text, /<form class="editor" method="post" action="\/Project_Plan\/edit" data-preview-url="\/-\/preview\?page=Project_Plan">/);
    assert.match(r.text, /<script src="\/-\/static\/editor.js" defer><\/script>/);
    assertNoInline(r.text);
  });

  it('previews without JavaScript and saves nothing', async () => {
    const { csrf } = await alice.form('/Project_Plan/edit');
    const r = await alice.post('/Project_Plan/edit', { _csrf: csrf, revision: '', content: '# Project Plan\n\nDraft with [[Nowhere]].', action: 'preview' });
    assert.equal(r.status, 200);
    assert.match(r.text, /<div class="markdown preview" id="editor-preview" aria-live="polite"><h1 id="project-plan">Project Plan<\/h1>/);
    assert.match(r.text, /href="\/Nowhere" class="wikilink-missing"/);
    assert.equal(textareaValue(r.text, 'content'), '# Project Plan\n\nDraft with [[Nowhere]].\n');
    assert.equal((await alice.get('/Project_Plan')).status, 404, 'nothing saved');
  });

  it('saves with POST/redirect/GET and shows the rendered page with its table of contents', async () => {
    const content = '# Project Plan\r\n\r\n## Goals\r\n\r\nShip [[Home]] and <b>bold</b> & more.\r\n\r\n## Risks\r\n\r\nNone.\r\n\r\n\r\n';
    expectRedirect(await alice.savePage('Project_Plan', content, 'Start the plan'), '/Project_Plan');
    const r = await alice.get('/Project_Plan');
    assert.equal(r.status, 200);
    assert.match(r.text, /<h1 id="project-plan">Project Plan<\/h1>/);
    assert.match(r.text, /<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">On this page<\/h2><ul><li class="toc-level-1"><a href="#goals">Goals<\/a><\/li><li class="toc-level-1"><a href="#risks">Risks<\/a><\/li><\/ul><\/nav>/);
    assert.match(r.text, /href="\/Home" class="wikilink"/);
    assert.match(r.text, /by Alice Liddell/);
    assert.match(r.text, /<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol><li><a href="\/">Home<\/a><\/li><li aria-current="page">Project Plan<\/li><\/ol><\/nav>/);
    const source = textareaValue((await alice.get('/Project_Plan/edit')).text, 'content');
    assert.equal(source, '# Project Plan\n\n## Goals\n\nShip [[Home]] and <b>bold</b> & more.\n\n## Risks\n\nNone.\n', 'CRLF → LF, one final newline');
    firstRevision = inputValue((await alice.get('/Project_Plan/edit')).text, 'revision')!;
    assert.match(firstRevision, /^[0-9a-f]{40}$/);
  });

  it('keeps a conflicting edit: the form comes back (409) with the writer’s text, the current text and the difference', async () => {
    const a = await alice.form('/Project_Plan/edit');
    const b = await alice.form('/Project_Plan/edit');
    const saved = await alice.post('/Project_Plan/edit', { _csrf: a.csrf, revision: a.revision, content: '# Project Plan\n\n## Goals\n\nFirst writer wins.\n', action: 'save' });
    expectRedirect(saved, '/Project_Plan');
    const late = await alice.post('/Project_Plan/edit', { _csrf: b.csrf, revision: b.revision, content: '# Project Plan\n\nSecond writer <here>.\n', action: 'save' });
    assert.equal(late.status, 409);
    assert.match(late.text, /Not saved: someone changed this page while you were editing/);
    assert.equal(textareaValue(late.text, 'content'), '# Project Plan\n\nSecond writer <here>.\n');
    assert.match(late.text, /<pre class="source">[\s\S]*First writer wins\.[\s\S]*<\/pre>/);
    assert.match(late.text, /<del>First writer wins\.<\/del>/);
    assert.match(late.text, /<ins>Second writer &lt;here&gt;\.<\/ins>/);
    const newBase = inputValue(late.text, 'revision')!;
    assert.notEqual(newBase, b.revision);
    assert.equal((await alice.get('/Project_Plan')).text.includes('First writer wins.'), true, 'the first save stands');
    // Saving the merged text on the new base works.
    const again = await alice.post('/Project_Plan/edit', { _csrf: b.csrf, revision: newBase, content: '# Project Plan\n\n## Goals\n\nBoth writers.\n\n## Risks\n\nFew.\n', action: 'save' });
    expectRedirect(again, '/Project_Plan');
    assert.match((await alice.get('/Project_Plan')).text, /Both writers\./);
  });

  it('refuses a page that is too large, keeping the text', async () => {
    const { csrf, revision } = await alice.form('/Project_Plan/edit');
    const r = await alice.post('/Project_Plan/edit', { _csrf: csrf, revision, content: 'x'.repeat(1024 * 1024 + 10), action: 'save' });
    assert.equal(r.status, 413);
    assert.match(r.text, /at most 1048576 bytes/);
  });

  it('renders the live preview as JSON with the token in a header, and refuses it without', async () => {
    const { csrf } = await alice.form('/Project_Plan/edit');
    const ok = await alice.post('/-/preview', { content: '# Hi\n\n[[Project Plan]] [[Gone]] $x^2$' }, { 'x-csrf-token': csrf, accept: 'application/json' });
    assert.equal(ok.status, 200, ok.text);
    const json = JSON.parse(ok.text) as { html: string; needs: { math: boolean } };
    assert.match(json.html, /<h1 id="hi">Hi<\/h1>/);
    assert.match(json.html, /href="\/Project_Plan" class="wikilink"/);
    assert.match(json.html, /href="\/Gone" class="wikilink-missing"/);
    assert.equal(json.needs.math, true);
    const field = await alice.post('/-/preview', { _csrf: csrf, content: 'x' }, { accept: 'application/json' });
    assert.equal(field.status, 200);
    const none = await alice.post('/-/preview', { content: 'x' }, { accept: 'application/json' });
    assert.equal(none.status, 403);
    assert.equal((JSON.parse(none.text) as { error: string }).error, 'forbidden');
    const viewer = await bob.post('/-/preview', { content: 'x' }, { 'x-csrf-token': csrf, accept: 'application/json' });
    assert.equal(viewer.status, 403);
  });

  it('restores an older version into the editor', async () => {
    const r = await alice.get(`/Project_Plan/edit?revision=${firstRevision}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /This is the text of revision [0-9a-f]{7}/);
    assert.match(textareaValue(r.text, 'content') ?? '', /Ship \[\[Home\]\] and <b>bold<\/b> &amp;? ?more\.|Ship \[\[Home\]\] and <b>bold<\/b> & more\./);
    assert.notEqual(inputValue(r.text, 'revision'), firstRevision, 'the base is the current revision');
  });
});

describe('CSRF', () => {
  const sibling = () => new URL(t.url('/', 'other')).origin;

  async function refused(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<UiResponse> {
    const r = await alice.post(path, fields, headers);
    assert.equal(r.status, 403, `${path} ${JSON.stringify(headers)}: ${r.text.slice(0, 300)}`);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    return r;
  }

  it('refuses a save without a token, with a wrong one, from another site and from a sibling wiki — and changes nothing', async () => {
    const { csrf, revision } = await alice.form('/Project_Plan/edit');
    const before = (await alice.get('/Project_Plan/history')).text;
    const fields = { revision, content: '# Forged\n', action: 'save' };
    const missing = await refused('/Project_Plan/edit', fields);
    assert.match(missing.text, /The form expired or was not sent by this wiki/);
    await refused('/Project_Plan/edit', { ...fields, _csrf: `${csrf.slice(0, -2)}xx` });
    await refused('/Project_Plan/edit', { ...fields, _csrf: bob.token ?? 'x' });
    const evil = await refused('/Project_Plan/edit', { ...fields, _csrf: csrf }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.match(evil.text, /sent from another site/);
    await refused('/Project_Plan/edit', { ...fields, _csrf: csrf }, { origin: sibling(), 'sec-fetch-site': 'same-site' });
    await refused('/Project_Plan/edit', { ...fields, _csrf: csrf }, { origin: sibling() });
    await refused('/Project_Plan/edit', { ...fields, _csrf: csrf }, { origin: 'null' });
    assert.equal((await alice.get('/Project_Plan/history')).text, before, 'no new revision');
    assert.doesNotMatch((await alice.get('/Project_Plan')).text, /Forged/);
  });

  it('checks the token on every state-changing form', async () => {
    await alice.savePage('Csrf_Target', '# Csrf Target\n');
    const { revision } = await alice.form('/Csrf_Target/edit');
    const posts: [string, Record<string, string>][] = [
      ['/Csrf_Target/edit', { revision, content: 'x', action: 'save' }],
      ['/Csrf_Target/edit', { revision, content: 'x', action: 'preview' }],
      ['/Csrf_Target/rename', { revision, new_name: 'Moved' }],
      ['/Csrf_Target/delete', { revision }],
      ['/Csrf_Target/revert', { revision }],
      ['/Csrf_Target/attachments/delete', { name: 'x.txt' }],
      ['/-/preview', { content: 'x' }],
    ];
    for (const [path, fields] of posts) {
      await refused(path, fields);
      await refused(path, { ...fields, _csrf: 'wrong-token-wrong-token-wrong-token-wrong' });
    }
    const { csrf } = await alice.form('/Csrf_Target/edit');
    for (const [path, fields] of posts) await refused(path, { ...fields, _csrf: csrf }, { origin: sibling() });
    // Multipart uploads too.
    const upload = await alice.post('/Csrf_Target/attachments', { file: { filename: 'a.txt', type: 'text/plain', bytes: new TextEncoder().encode('a') } });
    assert.equal(upload.status, 403);
    assert.equal((await alice.get('/Csrf_Target')).status, 200, 'the page is still there');
    assert.doesNotMatch((await alice.get('/Csrf_Target/attachments')).text, /a\.txt/);
  });
});

describe('history, diffs, revisions and revert', () => {
  let revisions: string[] = [];

  before(async () => {
    expectRedirect(await alice.savePage('Story', '# Story\n\nOnce upon a time.\n', 'Begin'), '/Story');
    expectRedirect(await alice.savePage('Story', '# Story\n\nOnce upon a time.\n\nA <script>alert(1)</script> appeared.\n', 'Middle'), '/Story');
    expectRedirect(await alice.savePage('Story', '# Story\n\nOnce upon a time, again.\n\nA <script>alert(1)</script> appeared.\n', 'End'), '/Story');
    const history = await alice.get('/Story/history');
    revisions = [...history.text.matchAll(/name="to" value="([0-9a-f]{40})"/g)].map((m) => m[1]!);
  });

  it('lists every revision, newest first, with two chosen for comparison', async () => {
    const r = await alice.get('/Story/history');
    assert.equal(r.status, 200);
    assert.equal(revisions.length, 3);
    assert.match(r.text, /<form method="get" action="\/Story\/diff" class="history-form">/);
    assert.match(r.text, /name="from" value="[0-9a-f]{40}" aria-label="[^"]*" checked/);
    const order = ['End', 'Middle', 'Begin'].map((m) => r.text.indexOf(m));
    assert.deepEqual([...order].sort((x, y) => x - y), order);
    assert.match(r.text, new RegExp(`href="/Story/view/${revisions[2]}"`));
  });

  it('shows the difference between two revisions, escaped', async () => {
    const r = await alice.get(`/Story/diff?from=${revisions[2]}&to=${revisions[1]}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /<tr class="diff-added">[\s\S]*?<ins>A &lt;script&gt;alert\(1\)&lt;\/script&gt; appeared\.<\/ins>/);
    assert.doesNotMatch(r.text, /<script>alert/);
    const back = await alice.get(`/Story/diff?from=${revisions[1]}&to=${revisions[0]}`);
    assert.match(back.text, /<del>Once upon a time\.<\/del>/);
    assert.match(back.text, /<ins>Once upon a time, again\.<\/ins>/);
    // Without `from`: the change made by `to`.
    const single = await alice.get(`/Story/diff?to=${revisions[0]}`);
    assert.match(single.text, /<del>Once upon a time\.<\/del>/);
    const same = await alice.get(`/Story/diff?from=${revisions[0]}&to=${revisions[0]}`);
    assert.match(same.text, /No differences\./);
    assert.equal((await alice.get('/Story/diff?from=zzz&to=abc')).status, 400);
    assert.equal((await alice.get('/Story/diff?from=0000000&to=0000000')).status, 404);
  });

  it('shows the page at an older revision, with restore and revert for writers only', async () => {
    const r = await alice.get(`/Story/view/${revisions[2]}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /You are viewing revision <code>[0-9a-f]{7}<\/code>/);
    assert.match(r.text, /<p>Once upon a time\.<\/p>/);
    assert.doesNotMatch(r.text, /again/);
    assert.match(r.text, /<form method="post" action="\/Story\/revert" class="inline-form">/);
    assert.match(r.text, new RegExp(`href="/Story/edit\\?revision=${revisions[2]}"`));
    const viewer = await bob.get(`/Story/view/${revisions[2]}`);
    assert.equal(viewer.status, 200);
    assert.doesNotMatch(viewer.text, /\/Story\/revert/);
    assert.equal((await alice.get('/Story/view/0000000')).status, 404);
  });

  it('reverts the latest change, and explains a revert that later changes block', async () => {
    const { csrf } = await alice.form('/Story/edit');
    const blocked = await alice.post('/Story/revert', { _csrf: csrf, revision: revisions[1]! });
    assert.equal(blocked.status, 409);
    assert.match(blocked.text, /later changes touched Story\.md/);
    assert.match(blocked.text, /Restore this version/);
    expectRedirect(await alice.post('/Story/revert', { _csrf: csrf, revision: revisions[0]! }), '/Story');
    const now = await alice.get('/Story');
    assert.match(now.text, /<p>Once upon a time\.<\/p>/);
    assert.doesNotMatch(now.text, /again/);
    const viewer = await bob.post('/Story/revert', { _csrf: csrf, revision: revisions[0]! });
    assert.equal(viewer.status, 403);
  });
});

describe('rename and delete', () => {
  it('renames a page, moving links in other pages with it', async () => {
    expectRedirect(await alice.savePage('Old_Name', '# Old Name\n\nText.\n'), '/Old_Name');
    expectRedirect(await alice.savePage('Linker', '# Linker\n\nSee [[Old Name]] and [[the old one|Old_Name]].\n'), '/Linker');
    const form = await alice.get('/Old_Name/rename');
    assert.equal(form.status, 200);
    assert.match(form.text, /Links to it in this page will be changed/);
    assert.match(form.text, /href="\/Linker">Linker<\/a>/);
    const { csrf, revision } = await alice.form('/Old_Name/rename');
    expectRedirect(await alice.post('/Old_Name/rename', { _csrf: csrf, revision, new_name: 'Archive/New Name', commit_message: 'Move it' }), '/Archive/New_Name');
    assert.equal((await alice.get('/Archive/New_Name')).status, 200);
    assert.equal((await alice.get('/Old_Name')).status, 404);
    const linker = await alice.get('/Linker');
    assert.match(linker.text, /href="\/Archive\/New_Name" class="wikilink"/);
    assert.doesNotMatch(linker.text, /Old_Name/);
    const sidebar = (await alice.get('/Linker')).text;
    assert.match(sidebar, /<li class="folder"><a href="\/Archive">Archive<\/a><\/li>/);
  });

  it('shows the rename form again for an impossible or taken name', async () => {
    const { csrf, revision } = await alice.form('/Linker/rename');
    const bad = await alice.post('/Linker/rename', { _csrf: csrf, revision, new_name: 'api/x' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /reserved/);
    assert.equal(inputValue(bad.text, 'new_name'), 'api/x');
    const taken = await alice.post('/Linker/rename', { _csrf: csrf, revision, new_name: 'Home' });
    assert.equal(taken.status, 409);
    assert.match(taken.text, /already exists/);
  });

  it('deletes a page with its attachments after a confirmation, then offers to recreate it', async () => {
    expectRedirect(await alice.savePage('Doomed', '# Doomed\n'), '/Doomed');
    const { csrf } = await alice.form('/Doomed/attachments');
    expectRedirect(await alice.post('/Doomed/attachments', { _csrf: csrf, file: { filename: 'note.txt', type: 'text/plain', bytes: new TextEncoder().encode('hi') } }), '/Doomed/attachments');
    const confirm = await alice.get('/Doomed/delete');
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Its attachment will be deleted too: note\.txt/);
    const { revision } = await alice.form('/Doomed/delete');
    expectRedirect(await alice.post('/Doomed/delete', { _csrf: csrf, revision }), '/');
    const gone = await alice.get('/Doomed');
    assert.equal(gone.status, 404);
    assert.match(gone.text, /This page was deleted/);
    assert.match(gone.text, /href="\/Doomed\/history"/);
    assert.equal((await alice.get('/Doomed/a/note.txt')).status, 404);
    assert.equal((await alice.get('/Doomed/history')).status, 200);
    assert.equal((await bob.get('/Doomed/delete')).status, 403);
  });
});

describe('attachments', () => {
  const png = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

  before(async () => {
    expectRedirect(await alice.savePage('Files', '# Files\n\n![pixel](/Files/a/pixel.png)\n'), '/Files');
  });

  it('uploads several files at once and lists them, with thumbnails and delete buttons for writers', async () => {
    const { csrf } = await alice.form('/Files/attachments');
    const r = await alice.post('/Files/attachments', {
      _csrf: csrf,
      file: { filename: 'pixel.png', type: 'image/png', bytes: png },
    });
    expectRedirect(r, '/Files/attachments');
    expectRedirect(await alice.post('/Files/attachments', { _csrf: csrf, file: { filename: 'evil.html', type: 'text/html', bytes: new TextEncoder().encode('<script>window.__pwned=1</script>') } }), '/Files/attachments');
    const list = await alice.get('/Files/attachments');
    assert.match(list.text, /<a href="\/Files\/a\/pixel.png">pixel.png<\/a>/);
    assert.match(list.text, /<img src="\/Files\/a\/pixel.png" alt="" loading="lazy">/);
    assert.match(list.text, /<a href="\/Files\/a\/evil.html">evil.html<\/a>/);
    assert.match(list.text, /name="name" value="pixel.png"/);
    assert.match(list.text, /enctype="multipart\/form-data"/);
    const viewer = await bob.get('/Files/attachments');
    assert.equal(viewer.status, 200);
    assert.doesNotMatch(viewer.text, /enctype="multipart\/form-data"|attachments\/delete/);
  });

  it('serves attachments so that they can never run script', async () => {
    const img = await t.fetch(t.url('/Files/a/pixel.png', 'demo'), { headers: { cookie: `wf_session=${alice.token}` } });
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.deepEqual(new Uint8Array(await img.arrayBuffer()), png);
    assert.match(img.headers.get('content-security-policy') ?? '', /^sandbox/);
    const html = await t.fetch(t.url('/Files/a/evil.html', 'demo'), { headers: { cookie: `wf_session=${alice.token}` } });
    assert.equal(html.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(html.headers.get('content-disposition') ?? '', /^attachment;/);
    assert.match(html.headers.get('content-security-policy') ?? '', /^sandbox/);
    assert.equal(html.headers.get('x-content-type-options'), 'nosniff');
    await html.arrayBuffer();
    assert.equal((await anon.get('/Files/a/pixel.png')).status, 401);
    assert.equal((await alice.get('/Files/a/nothing.png')).status, 404);
  });

  it('refuses files over 10 MB with the list and a message', async () => {
    const { csrf } = await alice.form('/Files/attachments');
    const r = await alice.post('/Files/attachments', { _csrf: csrf, file: { filename: 'big.bin', type: 'application/octet-stream', bytes: new Uint8Array(10 * 1024 * 1024 + 1) } });
    assert.equal(r.status, 413);
    assert.match(r.text, /big\.bin is 10\.0 MB; an attachment may be at most 10\.0 MB/);
    assert.doesNotMatch((await alice.get('/Files/attachments')).text, /big\.bin<\/a>/);
    const empty = await alice.post('/Files/attachments', { _csrf: csrf });
    assert.equal(empty.status, 400);
  });

  it('deletes an attachment', async () => {
    const { csrf } = await alice.form('/Files/attachments');
    expectRedirect(await alice.post('/Files/attachments/delete', { _csrf: csrf, name: 'evil.html' }), '/Files/attachments');
    assert.doesNotMatch((await alice.get('/Files/attachments')).text, /evil\.html/);
    assert.equal((await alice.post('/Files/attachments/delete', { _csrf: csrf, name: 'evil.html' })).status, 404);
  });
});

describe('index, recent changes and search', () => {
  it('lists every page as a tree', async () => {
    const r = await alice.get('/-/index');
    assert.equal(r.status, 200);
    for (const key of ['Home', 'Project_Plan', 'Story', 'Linker', 'Files']) assert.ok(r.text.includes(`href="/${key}"`), key);
    assert.match(r.text, /<li class="folder"><span class="folder-name">Archive\/<\/span><ul class="tree"><li class="leaf"><a href="\/Archive\/New_Name">New Name<\/a>/);
  });

  it('lists recent changes, newest first, with who and which pages', async () => {
    const r = await alice.get('/-/changes');
    assert.equal(r.status, 200);
    assert.match(r.text, /Move it/);
    assert.match(r.text, /<strong>Alice Liddell<\/strong>/);
    assert.ok(r.text.indexOf('Move it') < r.text.indexOf('Start the plan'));
    assert.match(r.text, /href="\/Story\/diff\?to=[0-9a-f]{40}"/);
  });

  it('finds pages with highlighted, escaped snippets', async () => {
    expectRedirect(await alice.savePage('Zebra_Facts', '# Zebra Facts\n\nEvery zebra has <em>stripes</em>; a quagga had fewer stripes.\n'), '/Zebra_Facts');
    const r = await alice.get('/-/search?q=stripes');
    assert.equal(r.status, 200);
    assert.match(r.text, /<a class="hit-title" href="\/Zebra_Facts">Zebra Facts<\/a>/);
    assert.match(r.text, /<p class="snippet">[^<]*(&lt;em&gt;)?<mark>stripes<\/mark>/);
    assert.doesNotMatch(r.text, /<em>stripes/);
    assert.match(r.text, /value="stripes"/);
    const none = await alice.get('/-/search?q=nonexistentword');
    assert.match(none.text, /No page matches <strong>nonexistentword<\/strong>/);
    const empty = await alice.get('/-/search');
    assert.equal(empty.status, 200);
    assert.match(empty.text, /<h1>Search<\/h1>/);
  });
});

describe('what users write is escaped or sanitised everywhere', () => {
  it('renders no script, handler or javascript: link from a page, its name or its history', async () => {
    const payload = '# Evil <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\n[click](javascript:alert(1))\n\n<a href="javascript:alert(1)">raw</a>\n\n<svg onload=alert(1)></svg>\n';
    expectRedirect(await alice.savePage('Evil_"quote"', payload, '<script>alert("msg")</script>'), '/Evil_%22quote%22');
    for (const path of ['/Evil_%22quote%22', '/Evil_%22quote%22/history', '/-/changes', '/-/index', '/-/search?q=evil', '/Evil_%22quote%22/edit']) {
      const r = await alice.get(path);
      assert.equal(r.status, 200, path);
      assert.doesNotMatch(r.text, /<script>alert|<[a-z][^>]*\son[a-z]+\s*=|(?:href|src)\s*=\s*"?\s*javascript:/i, path);
      assertNoInline(r.text);
    }
    const history = await alice.get('/Evil_%22quote%22/history');
    assert.match(history.text, /&lt;script&gt;alert\(&quot;msg&quot;\)&lt;\/script&gt;/);
  });
});
