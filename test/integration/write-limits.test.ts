/**
 * Write limits against the real stack: counted in sqld per person (and per
 * address behind a proxy), 429 with Retry-After past the limit, reads never
 * counted, and nothing written by a refused request.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { openDb } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, setWikiQuota } from '../../workers/lib/directory/wikis.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const CAROL = 'did:plc:cccccccccccccccccccccccc';
const DAVE = 'did:plc:dddddddddddddddddddddddd';
const ERIN = 'did:plc:eeeeeeeeeeeeeeeeeeeeeeee';
const FRANK = 'did:plc:ffffffffffffffffffffffff';
const PER_MINUTE = 3;
let t: TestStack;
const tokens: Record<string, string> = {};
const wikiIds: Record<string, { id: string }> = {};

before(async () => {
  t = await startTestStack({ settings: { writesPerMinute: PER_MINUTE } });
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  try {
    for (const [did, handle] of [[ALICE, 'alice.example.com'], [BOB, 'bob.example.com'], [CAROL, 'carol.example.com'], [DAVE, 'dave.example.com'], [ERIN, 'erin.example.com'], [FRANK, 'frank.example.com']] as const) {
      await upsertUser(db, { did, handle }, { kind: 'system' });
      const wiki = await createWiki(db, { slug: handle.split('.')[0]!, ownerDid: did }, { kind: 'system' });
      wikiIds[wiki.slug] = { id: wiki.id };
      tokens[did] = (await mintPersonalAccessToken(db, { wiki, userDid: did, name: 't', scopes: ['read', 'write'], expiresAt: null }, { kind: 'system' })).token;
    }
  } finally {
    client.close();
  }
});
after(() => t.stop());

/** Counters are per minute: start well inside one, so no window ends mid-test. */
async function freshWindow(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
}

const put = (did: string, slug: string, page: string, forwardedFor?: string) =>
  t.fetch(t.url(`/api/v1/pages/${page}`, slug), {
    method: 'PUT',
    headers: { authorization: `Bearer ${tokens[did]}`, 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ content: `# ${page}\n` }),
  });

it('allows a person their writes per minute, then answers 429 with Retry-After and writes nothing', async () => {
  await freshWindow();
  for (let i = 0; i < PER_MINUTE; i++) assert.equal((await put(ALICE, 'alice', `P${i}`)).status, 201, `write ${i}`);
  const refused = await put(ALICE, 'alice', 'TooMany');
  assert.equal(refused.status, 429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.match(((await refused.json()) as { message: string }).message, /Too many writes/);
  const read = await t.fetch(t.url('/api/v1/pages/TooMany', 'alice'), { headers: { authorization: `Bearer ${tokens[ALICE]}` } });
  assert.equal(read.status, 404, 'the refused write left nothing');
  assert.equal((await t.fetch(t.url('/api/v1/pages/P0', 'alice'), { headers: { authorization: `Bearer ${tokens[ALICE]}` } })).status, 200, 'reads are not limited');
  // A write is counted in its own batch; once refused, the writer is counted before anything is stored.
  const objects = looseObjects('alice');
  for (let i = 0; i < 3; i++) assert.equal((await put(ALICE, 'alice', `Again${i}`)).status, 429);
  assert.equal(looseObjects('alice'), objects, 'refused writes stored no git objects');
});

/** How many loose objects the wiki's repository holds. */
function looseObjects(slug: string): number {
  const { id } = wikiIds[slug]!;
  const dir = path.join(t.dataDir, 'git', `${id}.git`, 'objects');
  return fs.readdirSync(dir).filter((d) => /^[0-9a-f]{2}$/.test(d)).reduce((n, d) => n + fs.readdirSync(path.join(dir, d)).length, 0);
}

it('counts each person separately, and everyone behind one address together', async () => {
  await freshWindow();
  const address = '198.51.100.1, 203.0.113.7'; // Caddy appends the client's address last
  const statuses: number[] = [];
  for (const [did, slug] of [[BOB, 'bob'], [CAROL, 'carol']] as const) {
    for (let i = 0; i < PER_MINUTE; i++) statuses.push((await put(did, slug, `N${i}`, address)).status);
  }
  assert.deepEqual(statuses, Array(2 * PER_MINUTE).fill(201), 'two people, each within their own limit, at the address limit');
  assert.equal((await put(DAVE, 'dave', 'N0', address)).status, 429, 'a third person behind that address is over its limit');
  assert.equal((await put(DAVE, 'dave', 'N0', '192.0.2.1')).status, 201, 'from another address they may write');
});

it('counts refused writes too, and stores nothing for a large write that cannot fit', async () => {
  await freshWindow();
  const auth = { authorization: `Bearer ${tokens[ERIN]}`, 'content-type': 'application/json' };
  const send = (method: string, address: string, body: unknown) => t.fetch(t.url(address, 'erin'), { method, headers: auth, body: JSON.stringify(body) });
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  await setWikiQuota(db, 'erin', { maxBytes: 100 * 1024 }, { kind: 'system' });
  client.close();
  assert.equal((await send('PUT', '/api/v1/pages/Note', { content: 'one' })).status, 201, 'write 1 of 3');
  const objects = looseObjects('erin');
  // Over the quota: refused before anything is stored.
  const upload = await send('POST', '/api/v1/pages/Note/attachments', { filename: 'big.bin', content: Buffer.alloc(200 * 1024, 7).toString('base64') });
  assert.equal(upload.status, 413);
  // A large page over an existing one without its revision: read first, refused before it is stored.
  assert.equal((await send('PUT', '/api/v1/pages/Note', { content: 'x'.repeat(80 * 1024) })).status, 409);
  assert.equal(looseObjects('erin'), objects, 'the refused large writes stored no git objects');
  // A small write refused by its batch (the page exists) had stored its objects, so it counts (2 of 3).
  assert.equal((await send('PUT', '/api/v1/pages/Note', { content: 'again, without the revision' })).status, 409);
  assert.equal((await send('PUT', '/api/v1/pages/Other', { content: 'two' })).status, 201, 'write 3 of 3');
  assert.equal((await send('PUT', '/api/v1/pages/Third', { content: 'three' })).status, 429, 'the refused write was counted');
});

it('counts a save once when its first try was refused and the second wrote (a base revision for a new page)', async () => {
  await freshWindow();
  const send = (page: string, body: unknown) => t.fetch(t.url(`/api/v1/pages/${page}`, 'frank'), { method: 'PUT', headers: { authorization: `Bearer ${tokens[FRANK]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const first = await send('A', { content: 'a' });
  assert.equal(first.status, 201, 'write 1 of 3');
  const { revision } = (await first.json()) as { revision: string };
  assert.equal((await send('B', { content: 'b', revision })).status, 201, 'write 2 of 3: created after its first try\'s assumption failed');
  assert.equal((await send('C', { content: 'c' })).status, 201, 'write 3 of 3');
  assert.equal((await send('D', { content: 'd' })).status, 429);
});
