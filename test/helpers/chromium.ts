/**
 * Headless Chromium for browser tests: Debian's `chromium` (installed with
 * apt-get when missing, like caddy), driven by playwright-core, each browser
 * with a fresh profile in the temp directory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from './temp.ts';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The Chromium binary, installed from Debian's packages if it is not there yet. */
export function ensureChromium(): string {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { env, stdio: 'inherit' });
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is missing`);
  return CHROMIUM;
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh user-data directory, removed on close. */
export async function launchChromium(options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}): Promise<TestBrowser> {
  const executablePath = ensureChromium();
  const profile = tempDir('wikifarm-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    timeout: 60_000,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs the browser in: the platform session cookie for the apex and every wiki below it (Chromium accepts `Domain=wiki.localhost`). */
export async function setSessionCookie(context: BrowserContext, apex: string, token: string): Promise<void> {
  await context.addCookies([{ name: 'wf_session', value: token, domain: `.${apex}`, path: '/', httpOnly: true, sameSite: 'Lax', secure: false }]);
}
