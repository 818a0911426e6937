/**
 * The dashboard in headless Chromium against the real stack, without
 * JavaScript anywhere: a new person's first wiki from the slug offered for
 * their handle, another wiki, settings, collaborators (added by handle,
 * role changed, removed; one leaves), a token shown once then listed and
 * revoked, connected apps listed and revoked, the connection page, deleting a wiki with its name typed, the
 * account page (revoking a session, deleting the account while handing a
 * wiki to an admin). Every page is checked for console errors and CSP
 * violations, and on a phone-sized screen for sideways scrolling.
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, setSessionCookie, type TestBrowser } from '../helpers/chromium.ts';
import { ApiClient, connectApp, expectStatus, signIn, type SignedIn } from '../helpers/platform.ts';
import { runScript } from '../helpers/processes.ts';
import { startTestStack, TEST_APEX, type TestStack } from '../helpers/stack.ts';

// Browser globals used inside page.evaluate callbacks (the Node test project has no DOM library).
declare const window: { innerWidth: number; getComputedStyle(el: unknown): { backgroundColor: string } };
declare const document: { documentElement: { scrollWidth: number }; body: unknown };

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const CAROL = 'did:plc:cccccccccccccccccccccccc';

let t: TestStack;
let browser: TestBrowser;
let page: Page;
let alice: SignedIn;
let bob: SignedIn;
/** Console errors and page errors (CSP violations are console errors) since the last check. */
let problems: string[] = [];

const apex = (p: string): string => t.url(p);
const shot = (name: string): string => path.join(os.tmpdir(), `wikifarm-platform-${name}.png`);

function expectQuiet(step: string): void {
  const seen = problems;
  problems = [];
  assert.deepEqual(seen, [], `${step}: console errors`);
}

/** Clicks something that submits a form or follows a link, and waits for the next page. */
async function clickAndLoad(target: Locator): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await target.click();
  await navigated;
  await page.waitForLoadState('load');
}

/** The browser acts as `who` from now on (their session cookie, for the apex and every wiki). */
async function actAs(who: SignedIn): Promise<void> {
  await browser.context.clearCookies();
  await setSessionCookie(browser.context, TEST_APEX, who.token);
}

before(async () => {
  t = await startTestStack();
  // Bob and Carol are made with the admin CLI itself, as an operator would.
  const made = await Promise.all([
    runScript('bin/admin.ts', ['user', 'add', BOB, 'bob.example.com', '--name', 'Bob'], { DATA_DIR: t.dataDir }),
    runScript('bin/admin.ts', ['user', 'add', CAROL, 'carol.example.com'], { DATA_DIR: t.dataDir }),
  ]);
  for (const r of made) assert.equal(r.code, 0, r.output);
  [alice, bob] = await Promise.all([signIn(t, ALICE, 'alice.example.com', ['--name', 'Alice']), signIn(t, BOB, 'bob.example.com')]);
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('console', (m) => {
    // Error statuses (a refused form shows the form again with a 4xx) are logged as failed loads: expected.
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await t?.stop();
});

describe('signed out', () => {
  it('sees the landing page, and is sent to sign in (and back) from the dashboard', async () => {
    const res = await page.goto(apex('/'));
    assert.equal(res?.status(), 200);
    assert.equal(await page.locator('h1').textContent(), 'Wikis for people and their AI agents');
    assert.match((await page.locator('pre').first().textContent()) ?? '', /^claude mcp add --transport http \{slug\} http:\/\/\{slug\}\.wiki\.localhost:\d+\/mcp --header "Authorization: Bearer TOKEN"$/);
    await clickAndLoad(page.getByRole('link', { name: 'Sign in with Bluesky' }));
    assert.equal(new URL(page.url()).pathname, '/sign-in');

    await page.goto(apex('/app/wikis/whatever/tokens'));
    const url = new URL(page.url());
    assert.equal(url.pathname, '/sign-in');
    assert.equal(url.searchParams.get('return_to'), '/app/wikis/whatever/tokens');
    assert.equal(await page.locator('input[name="return_to"]').inputValue(), apex('/app/wikis/whatever/tokens'));
    const form = page.locator('form[action="/auth/login"]');
    assert.equal(await form.getAttribute('method'), 'post');
    assert.equal(await form.locator('input[name="handle"]').count(), 1);
    expectQuiet('signed out');
  });

  it('sees why a sign-in failed, with what they typed kept', async () => {
    await page.goto(apex('/sign-in?error=That+handle+does+not+exist.&handle=%3Cb%3Ealice.example.com&return_to=//evil.example'));
    assert.equal(await page.locator('.error-box').textContent(), 'That handle does not exist.');
    assert.equal(await page.locator('#handle').inputValue(), '<b>alice.example.com');
    assert.equal(await page.locator('input[name="return_to"]').inputValue(), apex('/app'), 'never another site');
    problems = [];
  });
});

describe('a new person', () => {
  before(() => actAs(alice));

  it('is offered a first wiki named after their handle, and lands on its connection page', async () => {
    await page.goto(apex('/app'));
    assert.equal(await page.locator('h1').textContent(), 'Welcome, Alice');
    assert.equal(await page.locator('#slug').inputValue(), 'alice');
    await page.locator('#title').fill("Alice's notes");
    await clickAndLoad(page.getByRole('button', { name: 'Create my wiki' }));
    assert.equal(new URL(page.url()).pathname, '/app/wikis/alice');
    assert.equal(await page.locator('.notice').textContent(), 'Your wiki is ready. Connect Claude to it below.');
    assert.equal(await page.locator('h1').textContent(), "Alice's notes");
    expectQuiet('first wiki');
  });

  it('sees the exact connection details for the wiki', async () => {
    const host = new URL(t.url('/', 'alice')).host;
    const blocks = await page.locator('pre').allTextContents();
    assert.deepEqual(blocks, [
      `http://${host}/mcp`,
      `claude mcp add --transport http alice http://${host}/mcp --header "Authorization: Bearer TOKEN"`,
      `git clone http://x-token:TOKEN@${host}/.git alice`,
    ]);
    const steps = (await page.locator('ol.steps').textContent()) ?? '';
    assert.match(steps, /Settings → Connectors/);
    assert.match(steps, /Add custom connector/);
    assert.equal(await page.getByRole('link', { name: "Open Alice's notes" }).getAttribute('href'), `http://${host}/`);
    await page.screenshot({ path: shot('connect'), fullPage: true });
  });

  it('makes another wiki from the dashboard', async () => {
    await page.goto(apex('/app'));
    await clickAndLoad(page.getByRole('link', { name: 'New wiki' }));
    await page.locator('#slug').fill('team-notes');
    await page.locator('#title').fill('Team notes');
    await page.locator('#description').fill('What the team knows');
    await page.locator('input[name="visibility"][value="public"]').check();
    await clickAndLoad(page.getByRole('button', { name: 'Create wiki' }));
    assert.equal(new URL(page.url()).pathname, '/app/wikis/team-notes');
    await page.goto(apex('/app'));
    assert.deepEqual(await page.locator('ul[aria-label="Wikis you own"] h3').allTextContents(), ["Alice's notes", 'Team notes']);
    expectQuiet('second wiki');
  });

  it('is told when a name is taken, with the form kept', async () => {
    await page.goto(apex('/app/new'));
    await page.locator('#slug').fill('team-notes');
    await page.locator('#title').fill('Again');
    await clickAndLoad(page.getByRole('button', { name: 'Create wiki' }));
    assert.match((await page.locator('.error-box').textContent()) ?? '', /"team-notes" is taken/);
    assert.equal(await page.locator('#title').inputValue(), 'Again');
    problems = [];
  });
});

describe('settings', () => {
  it('change the title and turn git off', async () => {
    await page.goto(apex('/app/wikis/team-notes'));
    await clickAndLoad(page.locator('.tabs').getByRole('link', { name: 'Settings' }));
    await page.locator('#title').fill('Team handbook');
    await page.locator('input[name="git_access"][type="checkbox"]').uncheck();
    await clickAndLoad(page.getByRole('button', { name: 'Save settings' }));
    assert.equal(await page.locator('.notice').textContent(), 'Settings saved.');
    assert.equal(await page.locator('#title').inputValue(), 'Team handbook');
    assert.equal(await page.locator('input[name="git_access"][type="checkbox"]').isChecked(), false);
    await page.goto(apex('/app/wikis/team-notes'));
    assert.match((await page.locator('main').textContent()) ?? '', /Git access is off for this wiki/);
    expectQuiet('settings');
  });
});

describe('collaborators', () => {
  it('are added by handle, with a role', async () => {
    await page.goto(apex('/app/wikis/team-notes/members'));
    for (const [handle, role] of [['bob.example.com', 'editor'], ['carol.example.com', 'viewer']] as const) {
      await page.locator('#who').fill(handle);
      await page.locator('#role').selectOption(role);
      await clickAndLoad(page.getByRole('button', { name: 'Add', exact: true }));
      assert.equal(await page.locator('.notice').textContent(), 'Collaborator added.');
    }
    const rows = await page.locator('tbody tr td:first-child .small').allTextContents();
    assert.deepEqual(rows, ['alice.example.com', 'bob.example.com', 'carol.example.com']);
    assert.equal(await page.locator('select[aria-label="Role of bob.example.com"]').inputValue(), 'editor');
    expectQuiet('add');
  });

  it('says so for a handle nobody has', async () => {
    await page.locator('#who').fill('nobody.example.com');
    await clickAndLoad(page.getByRole('button', { name: 'Add', exact: true }));
    assert.match((await page.locator('.error-box').textContent()) ?? '', /No account was found for nobody\.example\.com/);
    assert.equal(await page.locator('#who').inputValue(), 'nobody.example.com');
    problems = [];
  });

  it('get their role changed', async () => {
    await page.locator('select[aria-label="Role of bob.example.com"]').selectOption('admin');
    await clickAndLoad(page.locator('tr', { has: page.locator('select[aria-label="Role of bob.example.com"]') }).getByRole('button', { name: 'Change' }));
    assert.equal(await page.locator('.notice').textContent(), 'Role changed.');
    assert.equal(await page.locator('select[aria-label="Role of bob.example.com"]').inputValue(), 'admin');
    expectQuiet('role');
  });

  it('are removed', async () => {
    await clickAndLoad(page.getByRole('button', { name: 'Remove', exact: true }).and(page.locator('[title="Remove carol.example.com"]')));
    assert.equal(await page.locator('.notice').textContent(), 'Collaborator removed.');
    assert.deepEqual(await page.locator('tbody tr td:first-child .small').allTextContents(), ['alice.example.com', 'bob.example.com']);
    expectQuiet('remove');
  });

  it('may leave a wiki themselves', async () => {
    // Bob is made a viewer of Alice's first wiki, then leaves it from his own browser.
    expectStatus(await ApiClient.as(t, alice).post('/api/wikis/alice/members', { who: 'bob.example.com', role: 'viewer' }), 201);
    await actAs(bob);
    await page.goto(apex('/app'));
    assert.deepEqual(await page.locator('ul[aria-label="Wikis shared with you"] h3').allTextContents(), ["Alice's notes", 'Team handbook']);
    await page.goto(apex('/app/wikis/alice/members'));
    assert.equal(await page.locator('#who').count(), 0, 'a viewer gets no add form');
    await clickAndLoad(page.getByRole('button', { name: 'Leave' }));
    assert.equal(new URL(page.url()).pathname, '/app');
    assert.equal(await page.locator('.notice').textContent(), 'You left the wiki.');
    assert.deepEqual(await page.locator('ul[aria-label="Wikis shared with you"] h3').allTextContents(), ['Team handbook']);
    expectQuiet('leave');
    await actAs(alice);
  });
});

describe('tokens', () => {
  let secret = '';

  it('are shown once when made', async () => {
    await page.goto(apex('/app/wikis/alice/tokens'));
    await page.locator('#token-name').fill('laptop');
    await page.locator('#token-expiry').selectOption('30');
    await clickAndLoad(page.getByRole('button', { name: 'Make token' }));
    assert.match((await page.locator('.warning-box').textContent()) ?? '', /shown only this once/);
    const blocks = await page.locator('pre').allTextContents();
    secret = blocks[0] ?? '';
    assert.match(secret, /^wfpat_[\w-]{43}$/);
    assert.ok(blocks[1]?.endsWith(`--header "Authorization: Bearer ${secret}"`), blocks[1]);
    assert.ok(blocks[2]?.includes(`x-token:${secret}@alice.`), blocks[2]);
    const works = await t.fetch(t.url('/api/v1/pages', 'alice'), { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(works.status, 200);
    expectQuiet('mint');
  });

  it('are listed without their secret, with when they were last used', async () => {
    await clickAndLoad(page.getByRole('link', { name: 'Done' }));
    const table = page.locator('table[aria-label="Your tokens"]');
    assert.deepEqual(await table.locator('tbody td:first-child').allTextContents(), ['laptop']);
    assert.equal(await table.locator('tbody td').nth(1).textContent(), 'read, write');
    assert.notEqual(await table.locator('tbody td').nth(4).textContent(), 'never', 'last use recorded');
    assert.ok(!(await page.content()).includes(secret), 'the secret is never shown again');
    expectQuiet('list');
  });

  it('are revoked', async () => {
    await clickAndLoad(page.getByRole('button', { name: 'Revoke' }));
    assert.equal(await page.locator('.notice').textContent(), 'Token revoked.');
    assert.equal(await page.locator('table[aria-label="Your tokens"] .badge').textContent(), 'revoked');
    const refused = await t.fetch(t.url('/api/v1/pages', 'alice'), { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(refused.status, 401);
    expectQuiet('revoke');
  });
});

describe('connected apps', () => {
  it('are listed with who authorised them, and revoked at once', async () => {
    const bobs = await connectApp(t, 'team-notes', BOB, { name: 'Claude' });
    await connectApp(t, 'team-notes', ALICE, { name: 'Claude Code', clientId: 'https://claude.ai/oauth/claude-code-client-metadata', redirectUri: 'http://localhost:54321/callback' });
    const wikiStatus = async (): Promise<number> => (await t.fetch(t.url('/api/v1/pages', 'team-notes'), { headers: { authorization: `Bearer ${bobs.accessToken}` } })).status;
    assert.equal(await wikiStatus(), 200);

    await page.goto(apex('/app/wikis/team-notes'));
    await clickAndLoad(page.locator('.tabs').getByRole('link', { name: 'Connected apps' }));
    const table = page.locator('table[aria-label="Connected apps"]');
    assert.deepEqual((await table.locator('tbody td:first-child strong').allTextContents()).sort(), ['Claude', 'Claude Code']);
    const bobsRow = table.locator('tbody tr', { hasText: 'bob.example.com' });
    const cells = async (row: Locator): Promise<string[]> => (await row.locator('td').allInnerTexts()).slice(0, 4).map((s) => s.replace(/\s+/g, ' ').trim());
    assert.deepEqual(await cells(bobsRow), ['Claude https://claude.ai/oauth/mcp-oauth-client-metadata', 'claude.ai', 'Bob bob.example.com', 'read, write']);
    assert.deepEqual(await cells(table.locator('tbody tr', { hasText: 'Claude Code' })), ['Claude Code https://claude.ai/oauth/claude-code-client-metadata', 'localhost:54321', 'you', 'read, write']);
    await page.screenshot({ path: shot('connections'), fullPage: true });
    expectQuiet('connected apps');

    await clickAndLoad(bobsRow.getByRole('button', { name: 'Revoke' }));
    assert.equal(await page.locator('.notice').textContent(), 'App disconnected. Its access stopped at once.');
    assert.deepEqual(await table.locator('tbody td:first-child strong').allTextContents(), ['Claude Code']);
    assert.equal(await wikiStatus(), 401, "the app's token is refused");
    expectQuiet('revoke app');
    // Alice's own stays connected, so the phone-sized check below sees the table.
  });
});

describe('deleting a wiki', () => {
  it('needs its name typed, then removes it', async () => {
    expectStatus(await ApiClient.as(t, alice).post('/api/wikis', { slug: 'scratch' }), 201);
    await page.goto(apex('/app/wikis/scratch/settings'));
    await page.locator('#confirm-slug').fill('scratc');
    await clickAndLoad(page.getByRole('button', { name: 'Delete scratch forever' }));
    assert.match((await page.locator('.danger-zone .error-box').textContent()) ?? '', /type its name, scratch/);
    expectStatus(await ApiClient.as(t, alice).get('/api/wikis/scratch'), 200, 'still there');
    await page.locator('#confirm-slug').fill('scratch');
    await clickAndLoad(page.getByRole('button', { name: 'Delete scratch forever' }));
    assert.equal(new URL(page.url()).pathname, '/app');
    assert.equal(await page.locator('.notice').textContent(), 'The wiki was deleted.');
    assert.ok(!(await page.locator('ul[aria-label="Wikis you own"]').textContent())?.includes('scratch'));
    expectStatus(await ApiClient.as(t, alice).get('/api/wikis/scratch'), 404);
    problems = [];
  });
});

describe('a phone-sized screen in dark mode', () => {
  it('never scrolls sideways, and follows the dark colour scheme', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const p of ['/', '/sign-in', '/app', '/app/new', '/app/wikis/team-notes', '/app/wikis/team-notes/members', '/app/wikis/team-notes/tokens', '/app/wikis/team-notes/connections', '/app/wikis/team-notes/settings', '/app/account']) {
      await page.goto(apex(p));
      const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scrollWidth <= innerWidth, `${p}: page is ${scrollWidth}px wide in a ${innerWidth}px window`);
    }
    const background = await page.evaluate(() => window.getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(15, 19, 24)');
    await page.screenshot({ path: shot('phone-dark'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    expectQuiet('phone');
  });
});

describe('the account page', () => {
  it('lists sessions and revokes another one at once', async () => {
    const laptop = await signIn(t, ALICE, 'alice.example.com');
    await page.goto(apex('/app/account'));
    const rows = page.locator('table[aria-label="Sessions"] tbody tr');
    assert.equal(await rows.count(), 2, 'this browser and the laptop');
    assert.equal(await rows.filter({ hasText: 'this browser' }).count(), 1);
    await clickAndLoad(rows.filter({ hasNotText: 'this browser' }).getByRole('button', { name: 'Revoke' }));
    assert.equal(await page.locator('.notice').textContent(), 'That session is signed out.');
    assert.equal(await rows.count(), 1);
    expectStatus(await ApiClient.as(t, laptop).get('/api/me'), 401, 'the laptop is signed out at once');
    expectStatus(await ApiClient.as(t, alice).get('/api/me'), 200, 'this browser is not');
    assert.equal(await page.locator('form[action="/auth/logout-all"] button').textContent(), 'Sign out everywhere');
    expectQuiet('sessions');
  });

  it('deletes the account, handing a wiki to its admin and deleting the other', async () => {
    await page.goto(apex('/app/account'));
    assert.deepEqual(await page.locator('#fate_team-notes option').allTextContents(), ['Hand it to bob.example.com', 'Delete it with all its pages']);
    assert.equal(await page.locator('#fate_alice').inputValue(), 'delete', 'no admin to hand it to');
    await page.locator('#fate_team-notes').selectOption({ label: 'Hand it to bob.example.com' });
    await page.locator('#confirm-handle').fill('alice.example.co');
    await clickAndLoad(page.getByRole('button', { name: 'Delete my account' }));
    assert.match((await page.locator('.danger-zone .error-box').textContent()) ?? '', /type your handle/);
    await page.locator('#fate_team-notes').selectOption({ label: 'Hand it to bob.example.com' });
    await page.locator('#confirm-handle').fill('alice.example.com');
    await clickAndLoad(page.getByRole('button', { name: 'Delete my account' }));
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('.notice').textContent(), 'Your account was deleted. Thank you for using Wikifarm.');
    assert.equal(await page.getByRole('link', { name: 'Sign in', exact: true }).count(), 1, 'signed out');

    await actAs(bob);
    await page.goto(apex('/app'));
    assert.deepEqual(await page.locator('ul[aria-label="Wikis you own"] h3').allTextContents(), ['Team handbook']);
    expectStatus(await ApiClient.as(t, bob).get('/api/wikis/alice'), 404, "Alice's first wiki was deleted");
    problems = [];
  });
});
