/**
 * A real stack (sqld + workerd) for one test file: a fresh data directory,
 * ephemeral loopback ports, stopped and removed afterwards.
 */
import fs from 'node:fs';
import { readSettings, type Settings } from '../../bin/lib/settings.ts';
import { startStack, type Stack } from '../../bin/lib/stack.ts';
import { openDb } from '../../workers/lib/db.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { httpFetch } from './http.ts';
import { tempDir } from './temp.ts';

export const TEST_APEX = 'wiki.localhost';

export interface TestStack {
  stack: Stack;
  dataDir: string;
  logs: string[];
  /** Absolute URL on the apex (`url('/x')`) or a wiki host (`url('/x', 'demo')`). */
  url(pathname: string, slug?: string): string;
  fetch: typeof httpFetch;
  stop(): Promise<void>;
}

/** Creates a user and a public wiki they own, straight in the store, for tests that need one. */
export async function seedWiki(stack: Stack, slug: string, ownerDid = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa'): Promise<void> {
  const { db, client } = openDb({ url: stack.sqldUrl });
  try {
    await upsertUser(db, { did: ownerDid, handle: 'owner.example.com' }, { kind: 'system' });
    await createWiki(db, { slug, ownerDid, visibility: 'public' }, { kind: 'system' });
  } finally {
    client.close();
  }
}

export async function startTestStack(options: { dataDir?: string; settings?: Partial<Settings> } = {}): Promise<TestStack> {
  const dataDir = options.dataDir ?? tempDir();
  const settings = readSettings({}, { port: 0, internalPort: 0, sqldPort: 0, apex: TEST_APEX, dataDir, ...options.settings });
  const logs: string[] = [];
  const stack = await startStack({
    settings,
    log: (l) => void logs.push(l),
    skipBuild: process.env.WIKIFARM_PREBUILT === '1',
  });
  return {
    stack,
    dataDir,
    logs,
    url: (pathname, slug) => `http://${slug ? `${slug}.` : ''}${TEST_APEX}:${stack.port}${pathname}`,
    fetch: httpFetch,
    async stop() {
      await stack.stop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
