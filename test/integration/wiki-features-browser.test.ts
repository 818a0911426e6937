/**
 * The Otterwiki features in headless Chromium against the real stack, under the wiki's CSP:
 * spoilers and folds open with a click and no script, a `./` image loads from the page's
 * attachments, the feeds are discoverable, and blame fits a phone. Screenshots go to the temp dir.
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openDb } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { launchChromium, setSessionCookie, type TestBrowser } from '../helpers/chromium.ts';
import { startTestStack, TEST_APEX, type TestStack } from '../helpers/stack.ts';
import { sessionToken } from '../helpers/wiki-ui.ts';

// Browser globals used inside page.evaluate callbacks (the Node test project has no DOM library).
declare const window: { innerWidth: number };
declare const document: { documentElement: { scrollWidth: number } };

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let t: TestStack;
let browser: TestBrowser;
let page: Page;
let problems: string[] = [];

const url = (p: string): string => t.url(p, 'demo');
const shot = (name: string): string => path.join(os.tmpdir(), `wikifarm-features-${name}.png`);

before(async () => {
  t = await startTestStack();
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  let token: string;
  try {
    const system = { kind: 'system' } as const;
    await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
    const wiki = await createWiki(db, { slug: 'demo', ownerDid: ALICE, title: 'Features' }, system);
    token = (await mintPersonalAccessToken(db, { wiki, userDid: ALICE, name: 't', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  } finally {
    client.close();
  }
  const api = async (method: string, p: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await t.fetch(url(p), { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    assert.ok(res.status < 300, JSON.stringify(json));
    return json;
  };
  const first = await api('PUT', '/api/v1/pages/Trip', { content: '# Trip\n\nDay one.\n' });
  await api('PUT', '/api/v1/pages/Trip', {
    revision: first.revision,
    commit_message: 'Photo, spoiler and fold',
    content: '# Trip\n\nDay one.\n\n![the view](./view.png)\n\n>! The ending is a secret.\n\n>| # Packing list\n>| - boots\n>| - a very long line that keeps going and going so that a phone has to wrap it somewhere sensible\n',
  });
  await api('POST', '/api/v1/pages/Trip/attachments', { filename: 'view.png', content: PNG.toString('base64') });

  browser = await launchChromium();
  await setSessionCookie(browser.context, TEST_APEX, await sessionToken(t, 'alice.example.com'));
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await t?.stop();
});

function expectQuiet(step: string): void {
  const seen = problems;
  problems = [];
  assert.deepEqual(seen, [], `${step}: console errors`);
}

describe('Otterwiki features in Chromium', () => {
  it('opens a spoiler and a fold with a click, and shows the ./ image from the page\'s attachments', async () => {
    await page.goto(url('/Trip'));
    const secret = page.getByText('The ending is a secret.');
    assert.equal(await secret.isVisible(), false, 'the spoiler starts hidden');
    await page.locator('details.spoiler > summary').click();
    assert.equal(await secret.isVisible(), true);
    const boots = page.getByText('boots');
    assert.equal(await boots.isVisible(), false, 'the fold starts closed');
    assert.equal(await page.locator('details.collapse-panel > summary').textContent(), 'Packing list');
    await page.locator('details.collapse-panel > summary').click();
    assert.equal(await boots.isVisible(), true);
    const img = page.locator('img[alt="the view"]');
    assert.equal(await img.getAttribute('src'), '/Trip/a/view.png');
    assert.equal(await img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).complete && (el as unknown as { naturalWidth: number }).naturalWidth), 1);
    await page.screenshot({ path: shot('trip'), fullPage: true });
    expectQuiet('trip');
  });

  it('lets the browser discover the feeds of recent changes', async () => {
    await page.goto(url('/Trip'));
    const feeds = await page.locator('link[rel="alternate"]').evaluateAll((links) => links.map((l) => [(l as unknown as { type: string }).type, (l as unknown as { href: string }).href]));
    assert.deepEqual(feeds, [
      ['application/rss+xml', url('/-/changelog/feed.rss')],
      ['application/atom+xml', url('/-/changelog/feed.atom')],
    ]);
    // Fetched by the page with its cookies (the wiki is private), as a feed reader in the browser would.
    const [status, type, body] = await page.evaluate(async (feed) => {
      const res = await fetch(feed);
      return [res.status, res.headers.get('content-type'), await res.text()] as const;
    }, url('/-/changelog/feed.atom'));
    assert.equal(status, 200);
    assert.match(type ?? '', /^application\/atom\+xml/);
    assert.match(body, /<title type="text">Trip: Photo, spoiler and fold<\/title>/);
    expectQuiet('feeds');
  });

  it('shows blame from the history page, without sideways scrolling on a phone', async () => {
    await page.goto(url('/Trip/history'));
    await page.getByRole('link', { name: 'Blame', exact: true }).click();
    await page.waitForURL(url('/Trip/blame'));
    assert.equal(await page.locator('table.blame tbody tr').count(), 11);
    assert.equal(await page.locator('#L3 .blame-line').textContent(), 'Day one.');
    await page.screenshot({ path: shot('blame'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    for (const p of ['/Trip', '/Trip/blame', '/-/changes']) {
      await page.goto(url(p));
      const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scrollWidth <= innerWidth, `${p}: page is ${scrollWidth}px wide in a ${innerWidth}px window`);
    }
    await page.goto(url('/Trip/blame'));
    await page.screenshot({ path: shot('blame-phone'), fullPage: true });
    expectQuiet('blame');
  });
});
