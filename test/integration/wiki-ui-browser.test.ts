/**
 * The wiki's web UI in headless Chromium against the real stack: a signed-in
 * writer walks every flow (create, live preview, save, history, diff, old
 * revisions, revert, rename, attachments, delete, index, changes, search),
 * math and diagrams render, an XSS page runs no script under the CSP, and a
 * phone-sized window never scrolls sideways. Screenshots go to the temp dir.
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { openDb } from '../../workers/lib/db.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { launchChromium, setSessionCookie, type TestBrowser } from '../helpers/chromium.ts';
import { startTestStack, TEST_APEX, type TestStack } from '../helpers/stack.ts';
import { sessionToken, UiClient } from '../helpers/wiki-ui.ts';

// Browser globals used inside page.evaluate callbacks (the Node test project has no DOM library).
declare const window: { __pwned?: unknown; innerWidth: number; getComputedStyle(el: unknown): { color: string; textDecorationStyle: string; backgroundColor: string } };
declare const document: { documentElement: { scrollWidth: number } };

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

let t: TestStack;
let browser: TestBrowser;
let page: Page;
let http: UiClient;
/** Console errors and uncaught page errors since the last `expectQuiet`. */
let problems: string[] = [];
let dialogs = 0;

const url = (p: string): string => t.url(p, 'demo');
const shot = (name: string): string => path.join(os.tmpdir(), `wikifarm-ui-${name}.png`);

/** Asserts the page raised no error and broke no CSP rule since the last call. */
/** Clicks something that navigates (possibly back to the same address) and waits until the new page has loaded. */
async function clickAndLoad(target: Locator): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await target.click();
  await navigated;
  await page.waitForLoadState('load');
}

function expectQuiet(step: string): void {
  const seen = problems;
  problems = [];
  assert.deepEqual(seen, [], `${step}: console errors`);
}

before(async () => {
  t = await startTestStack();
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  try {
    const system = { kind: 'system' } as const;
    await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
    await createWiki(db, { slug: 'demo', ownerDid: ALICE, title: 'Browser Wiki' }, system);
  } finally {
    client.close();
  }
  const token = await sessionToken(t, 'alice.example.com');
  http = new UiClient(t, 'demo', token);
  browser = await launchChromium();
  await setSessionCookie(browser.context, TEST_APEX, token);
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('console', (m) => {
    // A 404 page (a missing page is one) is logged as a failed load: expected, not a problem.
    if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
});

after(async () => {
  await browser?.close();
  await t?.stop();
});

describe('a writer in Chromium', () => {
  it('views Home, with the CSP on the response', async () => {
    const res = await page.goto(url('/'));
    assert.equal(res?.status(), 200);
    assert.equal(res?.headers()['content-security-policy'], CSP);
    assert.equal(await page.title(), 'Browser Wiki · Browser Wiki');
    assert.equal(await page.locator('article.markdown h1').textContent(), 'Browser Wiki');
    assert.equal(await page.locator('.user').textContent(), 'Alice');
    assert.ok(await page.locator('aside.sidebar a[href="/Home"]').isVisible());
    // The stylesheet applied (not blocked by the CSP): the header has its background.
    const headerBg = await page.locator('.site-header').evaluate((el) => window.getComputedStyle(el).backgroundColor);
    assert.notEqual(headerBg, 'rgba(0, 0, 0, 0)');
    expectQuiet('home');
  });

  it('creates a page from "New page" and edits it with the live preview showing before saving', async () => {
    await page.getByRole('link', { name: 'New page' }).click();
    await page.locator('#create-name').fill('Garden Notes');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(url('/Garden_Notes/edit'));
    assert.equal(await page.locator('#editor-content').inputValue(), '# Garden Notes\n\n');
    await page.locator('#editor-content').fill('# Garden Notes\n\n## Plants\n\nTomatoes and [[Home]], later [[Orchard]].\n\n## Tools\n\nA spade.\n');
    await page.locator('#editor-preview h2#plants').waitFor();
    assert.equal(await page.locator('#editor-preview a.wikilink-missing').textContent(), 'Orchard');
    assert.equal(await page.locator('#editor-preview a.wikilink').textContent(), 'Home');
    assert.equal(page.url(), url('/Garden_Notes/edit'), 'still editing');
    assert.equal((await http.get('/Garden_Notes')).status, 404, 'nothing saved yet');
    await page.screenshot({ path: shot('editor'), fullPage: true });
    expectQuiet('editor');
  });

  it('saves and sees the page rendered, missing links marked', async () => {
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(url('/Garden_Notes'));
    assert.equal(await page.locator('article.markdown h1').textContent(), 'Garden Notes');
    assert.deepEqual(await page.locator('nav.toc a').allTextContents(), ['Plants', 'Tools']);
    const [missing, present] = await Promise.all([
      page.locator('article a.wikilink-missing').evaluate((el) => ({ color: window.getComputedStyle(el).color, style: window.getComputedStyle(el).textDecorationStyle })),
      page.locator('article a.wikilink').evaluate((el) => ({ color: window.getComputedStyle(el).color, style: window.getComputedStyle(el).textDecorationStyle })),
    ]);
    assert.notEqual(missing.color, present.color, 'missing links look different');
    assert.equal(missing.style, 'dashed');
    assert.match(await page.locator('.page-meta').textContent() ?? '', /by Alice/);
    expectQuiet('view');
  });

  it('edits again, then compares the two revisions from the history', async () => {
    await page.locator('.page-tabs').getByRole('link', { name: 'Edit' }).click();
    await page.locator('#editor-content').fill('# Garden Notes\n\n## Plants\n\nTomatoes, beans and [[Home]], later [[Orchard]].\n\n## Tools\n\nA spade.\n');
    await page.locator('#editor-message').fill('Add beans');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(url('/Garden_Notes'));
    assert.match(await page.locator('article').textContent() ?? '', /beans/);
    await page.locator('.page-tabs').getByRole('link', { name: 'History' }).click();
    await page.waitForURL(url('/Garden_Notes/history'));
    assert.equal(await page.locator('table.history tbody tr').count(), 2);
    await page.getByRole('button', { name: 'Compare selected revisions' }).click();
    await page.waitForURL(/\/Garden_Notes\/diff\?(from|to)=[0-9a-f]{40}&(from|to)=[0-9a-f]{40}$/);
    assert.match(await page.locator('tr.diff-added ins').first().textContent() ?? '', /Tomatoes, beans and/);
    assert.match(await page.locator('tr.diff-removed del').first().textContent() ?? '', /Tomatoes and/);
    expectQuiet('diff');
  });

  it('views the old revision, then reverts the latest change', async () => {
    await page.goto(url('/Garden_Notes/history'));
    await page.locator('table.history tbody tr').last().locator('a').first().click();
    await page.waitForURL(/\/Garden_Notes\/view\/[0-9a-f]{40}$/);
    assert.match(await page.locator('.notice').first().textContent() ?? '', /You are viewing revision/);
    assert.doesNotMatch(await page.locator('article').textContent() ?? '', /beans/);
    await page.goto(url('/Garden_Notes/history'));
    await page.locator('table.history tbody tr').first().locator('a').first().click();
    await page.waitForURL(/\/Garden_Notes\/view\/[0-9a-f]{40}$/);
    await page.getByRole('button', { name: 'Revert this change' }).click();
    await page.waitForURL(url('/Garden_Notes'));
    assert.doesNotMatch(await page.locator('article').textContent() ?? '', /beans/);
    await page.goto(url('/Garden_Notes/history'));
    assert.equal(await page.locator('table.history tbody tr').count(), 3);
    expectQuiet('revert');
  });

  it('renames a page, and links in other pages follow', async () => {
    await page.goto(url('/-/create?name=Garden%20Index'));
    await page.waitForURL(url('/Garden_Index/edit'));
    await page.locator('#editor-content').fill('# Garden Index\n\nRead the [[Garden Notes]].\n');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(url('/Garden_Index'));
    await page.goto(url('/Garden_Notes'));
    await page.locator('.page-tabs').getByRole('link', { name: 'Rename' }).click();
    assert.match(await page.locator('main').textContent() ?? '', /Links to it in this page will be changed/);
    await page.locator('#rename-name').fill('Archive/Garden Notes');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.waitForURL(url('/Archive/Garden_Notes'));
    await page.goto(url('/Garden_Index'));
    const link = page.locator('article a.wikilink', { hasText: 'Garden Notes' });
    assert.equal(await link.getAttribute('href'), '/Archive/Garden_Notes');
    await link.click();
    await page.waitForURL(url('/Archive/Garden_Notes'));
    assert.equal(await page.locator('.breadcrumbs').textContent(), 'HomeArchiveGarden Notes');
    expectQuiet('rename');
  });

  it('uploads, downloads and deletes attachments', async () => {
    await page.locator('.page-tabs').getByRole('link', { name: 'Attachments' }).click();
    await page.waitForURL(url('/Archive/Garden_Notes/attachments'));
    await page.locator('#upload-file').setInputFiles([
      { name: 'seeds.txt', mimeType: 'text/plain', buffer: Buffer.from('beans, peas\n') },
      { name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64') },
    ]);
    // The form posts and redirects back to the same address: wait for that navigation itself, not the URL.
    await clickAndLoad(page.getByRole('button', { name: 'Upload', exact: true }));
    assert.deepEqual(await page.locator('table.attachments tbody td:nth-child(2) > a').allTextContents(), ['dot.png', 'seeds.txt']);
    await page.locator('td.thumb img').evaluate(
      (img) =>
        new Promise<void>((resolve) => {
          const i = img as unknown as { complete: boolean; addEventListener(type: string, listener: () => void): void };
          if (i.complete) return resolve();
          i.addEventListener('load', () => resolve());
          i.addEventListener('error', () => resolve());
        }),
    );
    assert.equal(await page.locator('td.thumb img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), 1, 'the thumbnail loads');
    const href = await page.locator('table.attachments a', { hasText: 'seeds.txt' }).getAttribute('href');
    assert.equal(href, '/Archive/Garden_Notes/a/seeds.txt');
    const download = page.waitForEvent('download');
    await page.locator('table.attachments a', { hasText: 'seeds.txt' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'seeds.txt');
    assert.equal((await http.get(href!)).text, 'beans, peas\n');
    await clickAndLoad(page.getByRole('button', { name: 'Delete seeds.txt' }));
    assert.deepEqual(await page.locator('table.attachments tbody td:nth-child(2) > a').allTextContents(), ['dot.png']);
    expectQuiet('attachments');
  });

  it('deletes a page after confirming', async () => {
    await page.goto(url('/Archive/Garden_Notes'));
    await page.locator('.page-tabs').getByRole('link', { name: 'Delete' }).click();
    assert.match(await page.locator('main').textContent() ?? '', /Its attachment will be deleted too: dot\.png/);
    await page.getByRole('button', { name: 'Delete the page' }).click();
    await page.waitForURL(url('/'));
    const res = await page.goto(url('/Archive/Garden_Notes'));
    assert.equal(res?.status(), 404);
    assert.match(await page.locator('main').textContent() ?? '', /This page was deleted/);
    assert.ok(await page.getByRole('link', { name: 'Create this page' }).isVisible());
    expectQuiet('delete');
  });

  it('shows the index and recent changes', async () => {
    await page.getByRole('link', { name: 'Index', exact: true }).click();
    await page.waitForURL(url('/-/index'));
    assert.deepEqual(await page.locator('main .tree a').allTextContents(), ['Garden Index', 'Home']);
    await page.getByRole('link', { name: 'Changes', exact: true }).click();
    await page.waitForURL(url('/-/changes'));
    const changes = await page.locator('.change-message').allTextContents();
    assert.equal(changes[0], 'Delete Archive/Garden_Notes');
    assert.ok(changes.includes('Rename Garden_Notes to Archive/Garden_Notes'), changes.join(' | '));
    assert.ok(changes.includes('Add beans'));
    expectQuiet('changes');
  });

  it('searches from the header and highlights the match', async () => {
    await page.locator('.search-box input[name="q"]').fill('Garden');
    await page.locator('.search-box button').click();
    await page.waitForURL(url('/-/search?q=Garden'));
    assert.equal(await page.locator('.search-hit .hit-title').first().textContent(), 'Garden Index');
    await page.goto(url('/-/search?q=read'));
    assert.equal((await page.locator('.snippet mark').first().textContent())?.toLowerCase(), 'read');
    expectQuiet('search');
  });

  it('renders math with KaTeX and diagrams with mermaid, in the browser', async () => {
    const saved = await http.savePage('Formulas', '# Formulas\n\nInline $a^2+b^2=c^2$.\n\n$$\\sum_{i=1}^n i = \\frac{n(n+1)}{2}$$\n\n```mermaid\ngraph LR\n  A[Seed] --> B[Plant]\n```\n');
    assert.equal(saved.status, 303);
    await page.goto(url('/Formulas'));
    await page.locator('.math-inline .katex').waitFor();
    await page.locator('.math-display .katex-display').waitFor();
    await page.locator('pre.mermaid svg').waitFor();
    assert.match(await page.locator('pre.mermaid svg').textContent() ?? '', /Seed[\s\S]*Plant/);
    await page.screenshot({ path: shot('math-mermaid'), fullPage: true });
    // Mermaid measures text with inline styles the CSP refuses; the diagram still renders.
    problems = [];
  });
});

describe('an XSS payload in Chromium', () => {
  const payload = [
    '# Trap',
    '',
    '<script>window.__pwned = "script"; alert(1)</script>',
    '',
    '<img src="x" onerror="window.__pwned = \'img\'; alert(2)">',
    '',
    '[click me](javascript:window.__pwned=\'link\';alert(3))',
    '',
    '<a href="javascript:window.__pwned=\'raw\'">raw link</a>',
    '',
    '<svg onload="window.__pwned=\'svg\'"></svg><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '',
    '<details open ontoggle="window.__pwned=\'toggle\'"><summary>s</summary>x</details>',
    '',
    '$\\href{javascript:window.__pwned=1}{math}$',
    '',
  ].join('\n');

  it('runs no script on the page, and the CSP header is there', async () => {
    assert.equal((await http.savePage('Trap', payload)).status, 303);
    dialogs = 0;
    const res = await page.goto(url('/Trap'));
    assert.equal(res?.headers()['content-security-policy'], CSP);
    await page.waitForLoadState('load');
    for (const text of ['click me', 'raw link', 'math']) {
      const link = page.locator('article').getByText(text, { exact: true }).first();
      if (await link.count()) await link.click({ timeout: 2000 }).catch(() => {});
    }
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(dialogs, 0);
    assert.equal(await page.locator('article script, article iframe, article [onerror], article [onload], article [ontoggle]').count(), 0);
    problems = [];
  });

  it('runs no script from the live preview either', async () => {
    await page.goto(url('/Trap/edit'));
    await page.locator('#editor-content').fill(`${payload}\n\nPreview marker.\n`);
    await page.locator('#editor-preview').getByText('Preview marker.').waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(dialogs, 0);
    problems = [];
  });
});

describe('a phone-sized window', () => {
  it('never scrolls sideways', async () => {
    await http.savePage(
      'Long_Lines',
      `# Long lines\n\n${'averyveryverylongwordwithoutanyspaces'.repeat(8)}\n\n\`\`\`\n${'code '.repeat(60)}\n\`\`\`\n\n| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n| ${'cell '.repeat(10)} | 2 | 3 | 4 | 5 | 6 |\n\n## Section\n\nText.\n\n## Another\n\nMore.\n`,
    );
    await page.setViewportSize({ width: 390, height: 844 });
    for (const p of ['/', '/Long_Lines', '/Long_Lines/edit', '/Long_Lines/history', '/Long_Lines/attachments', '/Long_Lines/rename', '/-/index', '/-/changes', '/-/search?q=long', '/-/create', '/Nowhere']) {
      await page.goto(url(p));
      const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scrollWidth <= innerWidth, `${p}: page is ${scrollWidth}px wide in a ${innerWidth}px window`);
    }
    await page.goto(url('/Long_Lines'));
    await page.screenshot({ path: shot('phone'), fullPage: true });
    problems = [];
  });
});
