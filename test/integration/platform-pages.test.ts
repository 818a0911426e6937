/**
 * The platform's pages over HTTP as a browser would send them, for what the
 * browser test does not walk: every form carries the CSRF token and a forged
 * post changes nothing, escaping, friendly error pages (role, quota, rate
 * limit with Retry-After), connected apps (names the client chose escaped,
 * each member's own, revoking someone else's refused), the admin page, and an unexpected 500 in another
 * worker recorded in the error log and shown there.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { errorLog, users, wikis } from '../../db/schema.ts';
import { ApiClient, connectApp, expectStatus, signIn, storeOf, type SignedIn } from '../helpers/platform.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { inputValue, UiClient } from '../helpers/wiki-ui.ts';

let t: TestStack;
let owner: SignedIn;
let editor: SignedIn;
let outsider: SignedIn;
let root: SignedIn;
let ownerUi: UiClient;

const did = (c: string): string => `did:plc:${c.repeat(24)}`;
/** A browser-like client of the apex (the UiClient of a wiki host, for the host with no slug). */
const ui = (who: SignedIn | null): UiClient => new UiClient(t, '', who?.token ?? null);

before(async () => {
  t = await startTestStack();
  [owner, editor, outsider, root] = await Promise.all([
    signIn(t, did('o'), 'owner.example.com'),
    signIn(t, did('e'), 'editor.example.com'),
    signIn(t, did('x'), 'outsider.example.com'),
    signIn(t, did('r'), 'root.example.com', ['--platform-admin']),
  ]);
  ownerUi = ui(owner);
  expectStatus(await ApiClient.as(t, owner).post('/api/wikis', { slug: 'shop', title: 'Shop <notes>' }), 201);
  expectStatus(await ApiClient.as(t, owner).post('/api/wikis/shop/members', { who: 'editor.example.com', role: 'editor' }), 201);
});
after(() => t?.stop());

describe('public pages', () => {
  it('are served with a CSP that allows no script, and a long-cached stylesheet', async () => {
    const landing = await ui(null).get('/');
    assert.equal(landing.status, 200);
    const csp = landing.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.doesNotMatch(landing.text, /<script|style=/);
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(landing.text)?.[1];
    assert.match(href ?? '', /^\/static\/platform\.css\?v=\w+$/);
    const css = await t.fetch(t.url(href!));
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(css.headers.get('cache-control') ?? '', /immutable/);
    assert.match(await css.text(), /prefers-color-scheme: dark/);
  });

  it('escape what comes from the address', async () => {
    const page = await ui(null).get('/sign-in?error=%3Cscript%3Ealert(1)%3C/script%3E&handle=%22%3E%3Cimg%20src=x%3E');
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes('<script>alert(1)'), 'error text escaped');
    assert.ok(!page.text.includes('"><img'), 'handle escaped inside the attribute');
    assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    const dashboard = await ownerUi.get('/app');
    assert.ok(dashboard.text.includes('Shop &lt;notes&gt;'), 'titles escaped');
  });

  it('answer unknown addresses with a page for browsers and JSON for programs', async () => {
    const page = await ui(null).get('/no/such/page');
    assert.equal(page.status, 404);
    assert.match(page.text, /<h1>Not found<\/h1>/);
    const json = await t.fetch(t.url('/no/such/page'), { headers: { accept: 'application/json' } });
    assert.equal(json.status, 404);
    assert.equal(((await json.json()) as { error: string }).error, 'not_found');
  });
});

describe('forms', () => {
  it('all carry the session CSRF token, as do the sign-out buttons', async () => {
    const pages = ['/app', '/app/new', '/app/wikis/shop', '/app/wikis/shop/members', '/app/wikis/shop/tokens', '/app/wikis/shop/connections', '/app/wikis/shop/settings', '/app/account'];
    let forms = 0;
    for (const p of pages) {
      const page = await ownerUi.get(p);
      assert.equal(page.status, 200, p);
      for (const form of page.text.match(/<form[^>]*method="post"[\s\S]*?<\/form>/g) ?? []) {
        forms++;
        assert.equal(inputValue(form, '_csrf'), owner.csrf, `${p}: ${form.slice(0, 120)}`);
      }
      assert.match(page.text, /<form class="inline-form" method="post" action="\/auth\/logout">/, p);
    }
    assert.ok(forms >= 15, `${forms} forms`);
  });

  it('refuse a post without the token, with a wrong one, or from a sibling wiki, and change nothing', async () => {
    const sibling = new URL(t.url('/', 'evil')).origin;
    for (const [what, fields, headers] of [
      ['no token', { slug: 'forged' }, {}],
      ['wrong token', { slug: 'forged', _csrf: 'nope' }, {}],
      ["another person's token", { slug: 'forged', _csrf: editor.csrf }, {}],
      ['a sibling wiki', { slug: 'forged', _csrf: owner.csrf }, { origin: sibling, 'sec-fetch-site': 'same-site' }],
      ['no origin', { slug: 'forged', _csrf: owner.csrf }, { origin: '', 'sec-fetch-site': 'cross-site' }],
    ] as const) {
      const res = await ownerUi.post('/app/new', fields, headers);
      assert.equal(res.status, 403, what);
      assert.match(res.text, /<h1>Not allowed<\/h1>/, what);
    }
    const deleteForged = await ownerUi.post('/app/wikis/shop/delete', { confirm: 'shop', _csrf: owner.csrf }, { origin: sibling, 'sec-fetch-site': 'same-site' });
    assert.equal(deleteForged.status, 403);
    expectStatus(await ApiClient.as(t, owner).get('/api/wikis/forged'), 404);
    expectStatus(await ApiClient.as(t, owner).get('/api/wikis/shop'), 200);
  });

  it('send signed-out posts to sign in, not to the action', async () => {
    const res = await ui(null).post('/app/wikis/shop/delete', { confirm: 'shop' });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/sign-in?return_to=%2Fapp%2Fwikis%2Fshop%2Fdelete');
  });
});

describe('connected apps', () => {
  it("escape what the client chose, show members their own, and refuse revoking someone else's", async () => {
    const owners = await connectApp(t, 'shop', owner.did, { name: '<img src=x>Evil "app"', clientId: 'https://evil.example/<b>meta', redirectUri: 'https://evil.example/cb' });
    const editors = await connectApp(t, 'shop', editor.did, { name: 'Editor agent' });
    const listed = async (): Promise<string[]> => ((await ApiClient.as(t, owner).get('/api/wikis/shop/connections')).body.connections as { id: string }[]).map((c) => c.id).sort();

    const page = await ownerUi.get('/app/wikis/shop/connections');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('&lt;img src=x&gt;Evil &quot;app&quot;') && !page.text.includes('<img src=x>'), 'client name escaped');
    assert.ok(page.text.includes('https://evil.example/&lt;b&gt;meta') && !page.text.includes('<b>meta'), 'client id escaped');
    assert.ok(page.text.includes('Editor agent'), 'the owner sees everyone\'s');
    for (const form of page.text.match(/<form[^>]*action="\/app\/wikis\/shop\/connections\/revoke"[\s\S]*?<\/form>/g) ?? []) assert.equal(inputValue(form, '_csrf'), owner.csrf);

    const mine = await ui(editor).get('/app/wikis/shop/connections');
    assert.ok(mine.text.includes('Editor agent') && !mine.text.includes('Evil'), 'an editor sees only their own');
    const refused = await ui(editor).post('/app/wikis/shop/connections/revoke', { _csrf: editor.csrf, connection: owners.id });
    assert.equal(refused.status, 403);
    assert.match(refused.text, /Only the owner and admins of &quot;shop&quot; can do that/);
    const forged = await ownerUi.post('/app/wikis/shop/connections/revoke', { _csrf: owner.csrf, connection: editors.id }, { origin: new URL(t.url('/', 'evil')).origin, 'sec-fetch-site': 'same-site' });
    assert.equal(forged.status, 403);
    assert.deepEqual(await listed(), [owners.id, editors.id].sort(), 'nothing was revoked');

    const own = await ui(editor).post('/app/wikis/shop/connections/revoke', { _csrf: editor.csrf, connection: editors.id });
    assert.equal(own.status, 303);
    assert.equal(own.location, '/app/wikis/shop/connections?done=disconnected');
    assert.deepEqual(await listed(), [owners.id]);
  });
});

describe('error pages', () => {
  it('tell an editor that settings are for owners and admins, and strangers that the wiki is not theirs', async () => {
    const settings = await ui(editor).get('/app/wikis/shop/settings');
    assert.equal(settings.status, 403);
    assert.match(settings.text, /Only the owner and admins of &quot;shop&quot; can do that/);
    const members = await ui(editor).get('/app/wikis/shop/members');
    assert.equal(members.status, 200);
    assert.doesNotMatch(members.text, /name="who"/, 'no add form for an editor');
    const stranger = await ui(outsider).get('/app/wikis/shop');
    assert.equal(stranger.status, 403);
    assert.match(stranger.text, /You are not a member of &quot;shop&quot;/);
    assert.equal((await ui(outsider).get('/app/wikis/nothing-here')).status, 404);
    assert.equal((await ui(outsider).get('/app/admin')).status, 403);
  });

  it('explain the wiki quota, keeping the form', async () => {
    const store = storeOf(t);
    try {
      await store.db.update(users).set({ maxWikis: 1 }).where(eq(users.did, owner.did));
    } finally {
      store.close();
    }
    const res = await ownerUi.post('/app/new', { _csrf: owner.csrf, slug: 'second-shop', title: 'Second', visibility: 'private' });
    assert.equal(res.status, 403);
    assert.match(res.text, /You already own 1 wiki, the most you may own/);
    assert.equal(inputValue(res.text, 'slug'), 'second-shop');
  });

  it('say when to try again after too many new tokens, with Retry-After', async () => {
    const api = ApiClient.as(t, editor);
    for (let batch = 0; batch < 3; batch++) {
      const minted = await Promise.all(Array.from({ length: 10 }, (_, i) => api.post('/api/wikis/shop/tokens', { name: `bulk ${batch}.${i}`, scopes: ['read'] })));
      for (const r of minted) expectStatus(r, 201);
    }
    const res = await ui(editor).post('/app/wikis/shop/tokens', { _csrf: editor.csrf, name: 'one more', scopes: 'read', expires: '30' });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.match(res.text, /Too many new tokens\. Try again in \d+ s\./);
    assert.match(res.text, /<h2>Make a token<\/h2>/, 'the tokens page, with the message');
  });
});

describe('the error log and the admin page', () => {
  it('records an unexpected 500 of another worker, without the query string, and shows it to platform admins', async () => {
    // A repository whose branch names a commit stored as garbage: reading the wiki fails unexpectedly.
    expectStatus(await ApiClient.as(t, root).post('/api/wikis', { slug: 'broken' }), 201);
    const store = storeOf(t);
    try {
      const [row] = await store.db.select({ id: wikis.id }).from(wikis).where(eq(wikis.slug, 'broken'));
      const repo = path.join(t.dataDir, 'git', `${row!.id}.git`);
      fs.mkdirSync(path.join(repo, 'refs', 'heads'), { recursive: true });
      fs.mkdirSync(path.join(repo, 'objects', 'ee'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'objects', 'ee', 'e'.repeat(38)), 'not a zlib stream');
      fs.writeFileSync(path.join(repo, 'HEAD'), 'ref: refs/heads/main\n');
      fs.writeFileSync(path.join(repo, 'refs', 'heads', 'main'), `${'e'.repeat(40)}\n`);
      const res = await t.fetch(t.url('/api/v1/pages?secret=do-not-log', 'broken'), { headers: { cookie: `wf_session=${root.token}` } });
      assert.equal(res.status, 500, await res.text());
      const requestId = res.headers.get('x-request-id');
      let logged: typeof errorLog.$inferSelect | undefined;
      for (let i = 0; i < 50 && !logged; i++) {
        [logged] = await store.db.select().from(errorLog).where(eq(errorLog.requestId, requestId!)).orderBy(desc(errorLog.id));
        if (!logged) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(logged, 'recorded after the response');
      assert.equal(logged.worker, 'wiki');
      assert.equal(logged.method, 'GET');
      assert.equal(logged.url, t.url('/api/v1/pages', 'broken'));
      assert.ok(logged.message.length > 0 && logged.message.length <= 2000);
    } finally {
      store.close();
    }

    const admin = await ui(root).get('/app/admin');
    assert.equal(admin.status, 200);
    assert.match(admin.text, /<strong>4<\/strong> users/);
    assert.match(admin.text, /<td>shop<\/td><td>owner\.example\.com<\/td>/);
    assert.ok(admin.text.includes(t.url('/api/v1/pages', 'broken')), 'the error is listed');
    assert.match(admin.text, /<a href="\/app\/admin" aria-current="page">Admin<\/a>/);
    assert.doesNotMatch((await ownerUi.get('/app')).text, /href="\/app\/admin"/, 'the link is only for platform admins');
  });
});
