/**
 * Bluesky sign-in end to end, against a real local ATProto PDS
 * (@atproto/dev-env: PLC + PDS on loopback): headless Chromium types a
 * handle on the sign-in page, signs in and consents on the PDS's own pages,
 * comes back through the loopback callback on 127.0.0.1, and lands signed in
 * on the apex. The auth worker runs the real @atproto/oauth-client (PAR,
 * DPoP with server nonces, PKCE) and resolves handles and DIDs at this PDS
 * and PLC. The journey: from the landing page to a private wiki shared with
 * a collaborator added by handle, who can edit it, while a third person
 * cannot read it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { sessions, users } from '../../db/schema.ts';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { launchChromium, type TestBrowser } from '../helpers/chromium.ts';
import { startLocalPds, type LocalPds, type PdsAccount } from '../helpers/pds.ts';
import { startTestStack, TEST_APEX, type TestStack } from '../helpers/stack.ts';

let pds: LocalPds;
let t: TestStack;
let db: Db;
let closeDb: () => void;
const people: Record<string, PdsAccount> = {};
const browsers: TestBrowser[] = [];

before(async () => {
  pds = await startLocalPds();
  for (const name of ['alice', 'bob', 'carol']) people[name] = await pds.createAccount(name);
  t = await startTestStack({ settings: { atproto: { plcUrl: pds.plcUrl, handleResolver: pds.pdsUrl, localNetwork: true } } });
  const opened = openDb({ url: t.stack.sqldUrl });
  db = opened.db;
  closeDb = () => opened.client.close();
});
after(async () => {
  for (const b of browsers) await b.close();
  closeDb?.();
  await t?.stop();
  await pds?.stop();
});

async function browser(): Promise<BrowserContext> {
  const b = await launchChromium();
  browsers.push(b);
  return b.context;
}

/** Signs `who` in from the sign-in page through the PDS's sign-in and consent pages; returns the page where it lands. */
async function signIn(context: BrowserContext, who: PdsAccount, options: { returnTo?: string; typed?: string } = {}): Promise<Page> {
  const page = await context.newPage();
  const query = options.returnTo ? `?return_to=${encodeURIComponent(options.returnTo)}` : '';
  await page.goto(t.url(`/sign-in${query}`));
  await page.fill('input[name="handle"]', options.typed ?? who.handle);
  await Promise.all([page.waitForURL((u) => u.origin === pds.pdsUrl), page.press('input[name="handle"]', 'Enter')]);
  // The PDS's own pages: the handle arrives as login_hint, so the form opens filled in.
  await page.fill('input[name="password"]', who.password);
  await page.click('form button[type="submit"]');
  await page.getByRole('button', { name: 'Authorize', exact: true }).click();
  await page.waitForURL((u) => (u.hostname === TEST_APEX || u.hostname.endsWith(`.${TEST_APEX}`)) && !u.pathname.startsWith('/auth/'), { timeout: 20_000 });
  return page;
}

describe('Bluesky sign-in against a real PDS', () => {
  it('signs a person in as the DID behind the handle they typed, with the handle refreshed, and lands where they were going', async () => {
    const context = await browser();
    const page = await signIn(context, people.alice!, { returnTo: '/app' });
    assert.equal(new URL(page.url()).pathname, '/app');
    const [user] = await db.select().from(users).where(eq(users.did, people.alice!.did));
    assert.equal(user?.handle, 'alice.test');
    assert.ok(user?.lastLoginAt, 'the sign-in is recorded');
    const cookie = (await context.cookies()).find((c) => c.name === 'wf_session');
    assert.ok(cookie, 'a session cookie');
    assert.equal(cookie.domain, `.${TEST_APEX}`, 'for the apex and every wiki host');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal((await context.cookies()).find((c) => c.name === 'wf_signin'), undefined, 'the sign-in nonce is gone');
    const rows = await db.select().from(sessions).where(eq(sessions.userDid, people.alice!.did));
    assert.equal(rows.length, 1);
  });

  it('accepts the DID instead of the handle', async () => {
    const page = await signIn(await browser(), people.bob!, { typed: people.bob!.did });
    assert.equal(new URL(page.url()).pathname, '/app');
  });

  it("accepts the PDS's address instead, and signs in whoever signs in there", async () => {
    const page = await (await browser()).newPage();
    await page.goto(t.url('/sign-in'));
    await page.fill('input[name="handle"]', pds.pdsUrl);
    await Promise.all([page.waitForURL((u) => u.origin === pds.pdsUrl), page.press('input[name="handle"]', 'Enter')]);
    // No login hint: the PDS asks who is signing in.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.fill('input[name="username"]', people.carol!.handle);
    await page.fill('input[name="password"]', people.carol!.password);
    await page.click('form button[type="submit"]');
    await page.getByRole('button', { name: 'Authorize', exact: true }).click();
    await page.waitForURL((u) => u.hostname === TEST_APEX && u.pathname === '/app', { timeout: 20_000 });
    const [user] = await db.select().from(users).where(eq(users.did, people.carol!.did));
    assert.equal(user?.handle, 'carol.test');
  });

  it('says so on the sign-in page when the handle does not exist', async () => {
    const page = await (await browser()).newPage();
    await page.goto(t.url('/sign-in'));
    await page.fill('input[name="handle"]', 'nobody.test');
    await Promise.all([page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.has('error')), page.press('input[name="handle"]', 'Enter')]);
    assert.match(await page.textContent('body') ?? '', /could not find the handle nobody\.test/);
  });

  it('refuses a callback replayed in another browser, and a handover link opened in another browser', async () => {
    const context = await browser();
    const page = await context.newPage();
    const callbacks: string[] = [];
    const handovers: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/auth/callback') callbacks.push(r.url());
      if (u.pathname === '/auth/handover') handovers.push(r.url());
    });
    await page.goto(t.url('/sign-in'));
    await page.fill('input[name="handle"]', people.carol!.handle);
    await Promise.all([page.waitForURL((u) => u.origin === pds.pdsUrl), page.press('input[name="handle"]', 'Enter')]);
    await page.fill('input[name="password"]', people.carol!.password);
    await page.click('form button[type="submit"]');
    await page.getByRole('button', { name: 'Authorize', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/app');
    assert.equal(callbacks.length, 1);

    const other = await (await browser()).newPage();
    await other.goto(callbacks[0]!);
    assert.equal(new URL(other.url()).pathname, '/sign-in', 'the used callback is refused');
    await other.goto(handovers[0]!);
    assert.equal(new URL(other.url()).pathname, '/sign-in', 'the handover needs the browser that started it, and works once');
    assert.equal((await other.context().cookies()).find((c) => c.name === 'wf_session'), undefined);
  });
});

describe('from the landing page to a shared wiki', () => {
  const wikiUrl = (path: string) => t.url(path, 'alice');
  let alice: Page;

  it('alice signs in from the landing page and creates her first wiki, private, named after her handle', async () => {
    const context = await browser();
    alice = await context.newPage();
    await alice.goto(t.url('/'));
    await Promise.all([alice.waitForURL((u) => u.pathname === '/sign-in'), alice.getByRole('link', { name: 'Sign in with Bluesky' }).click()]);
    await alice.fill('input[name="handle"]', people.alice!.handle);
    await Promise.all([alice.waitForURL((u) => u.origin === pds.pdsUrl), alice.press('input[name="handle"]', 'Enter')]);
    await alice.fill('input[name="password"]', people.alice!.password);
    await alice.click('form button[type="submit"]');
    await alice.getByRole('button', { name: 'Authorize', exact: true }).click();
    await alice.waitForURL((u) => u.hostname === TEST_APEX && u.pathname === '/app');
    assert.equal(await alice.locator('#slug').inputValue(), 'alice', 'the first-run slug comes from the handle');
    await alice.locator('#title').fill('Alice research');
    await Promise.all([alice.waitForURL((u) => u.pathname === '/app/wikis/alice'), alice.getByRole('button', { name: 'Create my wiki' }).click()]);
    const anonymous = await t.fetch(wikiUrl('/api/v1/pages'));
    assert.equal(anonymous.status, 401, 'private: nothing for people who are not signed in');
  });

  it('adds bob as an editor by his handle (resolved at his PDS to his DID)', async () => {
    await alice.goto(t.url('/app/wikis/alice/members'));
    await alice.locator('#who').fill(people.bob!.handle);
    await alice.locator('#role').selectOption('editor');
    await Promise.all([alice.waitForLoadState('load'), alice.getByRole('button', { name: 'Add', exact: true }).click()]);
    await alice.waitForLoadState('load');
    assert.match((await alice.locator('main').textContent()) ?? '', /bob\.test/);
    const [member] = await db.select().from(users).where(eq(users.did, people.bob!.did));
    assert.equal(member?.handle, 'bob.test');
  });

  it('bob signs in and edits a page of the wiki in the browser', async () => {
    const context = await browser();
    const bob = await signIn(context, people.bob!, { returnTo: wikiUrl('/') });
    assert.equal(new URL(bob.url()).hostname, `alice.${TEST_APEX}`, 'sign-in returns to the wiki host');
    await bob.goto(wikiUrl('/Plans/edit'));
    await bob.locator('#editor-content').fill('# Plans\n\nWritten by Bob.\n');
    await Promise.all([bob.waitForURL(wikiUrl('/Plans')), bob.getByRole('button', { name: 'Save' }).click()]);
    assert.equal(await bob.locator('article.markdown h1').textContent(), 'Plans');
    const history = await bob.goto(wikiUrl('/api/v1/pages/Plans/history'));
    const body = (await history!.json()) as { entries?: { author?: { name?: string; email?: string } }[]; history?: unknown[] };
    assert.match(JSON.stringify(body), new RegExp(people.bob!.did.replace(/:/g, ':')), 'committed as bob');
  });

  it('carol, signed in, cannot read the private wiki', async () => {
    const context = await browser();
    await signIn(context, people.carol!);
    const carol = await context.newPage();
    const res = await carol.goto(wikiUrl('/'));
    assert.equal(res?.status(), 403);
    assert.doesNotMatch((await carol.textContent('body')) ?? '', /Plans|Written by Bob/);
  });
});
