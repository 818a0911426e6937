/**
 * The wiki's REST API against the real stack: git-backed pages with a derived
 * index, base revisions and conflicts, roles and wiki-bound tokens, history,
 * links, bad input, concurrency, and an index rebuilt from git.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { pages, wikiRepos } from '../../db/schema.ts';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { setMember } from '../../workers/lib/directory/members.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, setWikiQuota, type Wiki } from '../../workers/lib/directory/wikis.ts';
import { DIRECTORY_TTL_MS } from '../../workers/wiki/directory-cache.ts';
import { ftsWikiToken } from '../../workers/wiki/search/wiki-words.ts';
import { waitForBranch } from '../helpers/git-cli.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const system = { kind: 'system' } as const;

let t: TestStack;
let db: Db;
let closeDb: () => void;
let demo: Wiki;
let aliceToken: string;
let bobToken: string;
let otherToken: string;

before(async () => {
  // Room for the 600-page concurrency test on top of the others (the default is 600 writes a minute per person).
  t = await startTestStack({ settings: { writesPerMinute: 5000 } });
  const opened = openDb({ url: t.stack.sqldUrl });
  db = opened.db;
  closeDb = () => opened.client.close();
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
  await upsertUser(db, { did: BOB, handle: 'bob.example.com' }, system);
  demo = await createWiki(db, { slug: 'demo', ownerDid: ALICE, title: 'Demo' }, system);
  const other = await createWiki(db, { slug: 'other', ownerDid: ALICE, visibility: 'public' }, system);
  await setMember(db, demo, BOB, 'viewer', system);
  aliceToken = (await mintPersonalAccessToken(db, { wiki: demo, userDid: ALICE, name: 't', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  bobToken = (await mintPersonalAccessToken(db, { wiki: demo, userDid: BOB, name: 't', scopes: ['read'], expiresAt: null }, system)).token;
  otherToken = (await mintPersonalAccessToken(db, { wiki: other, userDid: ALICE, name: 't', scopes: ['read', 'write'], expiresAt: null }, system)).token;
});
after(async () => {
  closeDb();
  await t.stop();
});

async function call(method: string, pathname: string, options: { token?: string | null; body?: unknown; slug?: string } = {}) {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.token === undefined ? aliceToken : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await t.fetch(t.url(pathname, options.slug ?? 'demo'), { method, headers, ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: res.status, json, text };
}

/** The wiki's head, as the index has it. */
async function head(): Promise<string> {
  return ((await call('GET', '/api/v1/changelog?limit=1')).json.entries as { revision: string }[])[0]!.revision;
}

function gitdir(): string {
  return path.join(t.dataDir, 'git', `${demo.id}.git`);
}

describe('pages', () => {
  it('a new wiki starts with a Home page, in a repository real git reads', async () => {
    const list = await call('GET', '/api/v1/pages');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual((list.json.pages as { path: string }[]).map((p) => p.path), ['Home']);
    const home = await call('GET', '/api/v1/pages/Home');
    assert.match(home.json.content as string, /^# Demo/);
    assert.equal(home.json.name, 'Demo');
    execFileSync('git', ['--git-dir', gitdir(), 'fsck', '--strict'], { stdio: 'pipe' });
    assert.match(execFileSync('git', ['--git-dir', gitdir(), 'log', '--format=%an|%s'], { encoding: 'utf8' }), /^Wikifarm\|Initial commit$/m);
  });

  it('creates, reads, refuses a stale or missing base revision, and updates', async () => {
    const created = await call('PUT', '/api/v1/pages/Notes/First Page', { body: { content: '# First\n\nSee [[Second Page]] and [[Home]].\n' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.path, 'Notes/First_Page');
    const rev1 = created.json.revision as string;
    assert.match(rev1, /^[0-9a-f]{40}$/);

    const read = await call('GET', '/api/v1/pages/Notes/First_Page');
    assert.equal(read.json.name, 'First');
    assert.equal(read.json.revision, rev1);
    assert.deepEqual(read.json.links_to, ['Home', 'Second_Page']);

    const noBase = await call('PUT', '/api/v1/pages/Notes/First_Page', { body: { content: 'x' } });
    assert.equal(noBase.status, 409);
    assert.equal(noBase.json.current_revision, rev1);

    const updated = await call('PUT', '/api/v1/pages/Notes/First_Page', { body: { content: '# First\n\nNow it links to [[Home]] only.\n', revision: rev1.slice(0, 7), commit_message: 'Tighten links' } });
    assert.equal(updated.status, 200, updated.text);
    const rev2 = updated.json.revision as string;
    assert.notEqual(rev2, rev1);

    const stale = await call('PUT', '/api/v1/pages/Notes/First_Page', { body: { content: 'lost update', revision: rev1 } });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.current_revision, rev2);
    assert.equal(stale.json.error, 'conflict');

    const same = await call('PUT', '/api/v1/pages/Notes/First_Page', { body: { content: '# First\n\nNow it links to [[Home]] only.\n', revision: rev2 } });
    assert.equal(same.status, 200);
    assert.equal(same.json.revision, rev2, 'no empty commit for identical content');
    assert.equal(same.json.created, false);
    const sameNoBase = await call('PUT', '/api/v1/pages/Notes/First_Page', { body: { content: '# First\n\nNow it links to [[Home]] only.\n' } });
    assert.equal(sameNoBase.status, 409, 'identical content without a base revision is still a conflict');
    assert.equal(sameNoBase.json.current_revision, rev2);

    const old = await call('GET', `/api/v1/pages/Notes/First_Page?revision=${rev1}`);
    assert.match(old.json.content as string, /Second Page/);
    const history = await call('GET', '/api/v1/pages/Notes/First_Page/history');
    assert.deepEqual((history.json.history as { revision: string }[]).map((h) => h.revision), [rev2, rev1]);
    const entry = (history.json.history as { author: string; message: string; email: string }[])[0]!;
    assert.equal(entry.author, 'Alice');
    assert.equal(entry.message, 'Tighten links');
    await waitForBranch(gitdir(), rev2);
    assert.match(execFileSync('git', ['--git-dir', gitdir(), 'log', '-1', '--format=%an <%ae>|%s'], { encoding: 'utf8' }), /^Alice <did:plc:a+@wiki\.localhost>\|Tighten links/);
    const baseForNew = await call('PUT', '/api/v1/pages/Notes/Never_Written', { body: { content: '# New\n', revision: rev2 } });
    assert.equal(baseForNew.status, 201, 'a base revision for a page that never existed creates it');
    assert.equal(baseForNew.json.created, true);
  });

  it('refuses a save based on a revision from before the page was deleted, and creates it again without one', async () => {
    const made = await call('PUT', '/api/v1/pages/Doomed', { body: { content: '# Doomed\n' } });
    assert.equal(made.status, 201, made.text);
    const read = made.json.revision as string;
    assert.equal((await call('DELETE', '/api/v1/pages/Doomed', { body: { revision: read } })).status, 200);
    const afterDelete = await head();
    const revived = await call('PUT', '/api/v1/pages/Doomed', { body: { content: '# Doomed, edited in an open editor\n', revision: read } });
    assert.equal(revived.status, 409, revived.text);
    assert.equal(revived.json.current_revision, null);
    assert.match(revived.json.message as string, /deleted since/);
    assert.equal((await call('GET', '/api/v1/pages/Doomed')).status, 404, 'nothing written');
    const unknownBase = await call('PUT', '/api/v1/pages/Doomed', { body: { content: 'x', revision: 'abcdef0' } });
    assert.equal(unknownBase.status, 409, 'a base that is no commit of this wiki cannot vouch for a deleted page');
    const fromNow = await call('PUT', '/api/v1/pages/Doomed', { body: { content: '# Doomed again\n', revision: afterDelete } });
    assert.equal(fromNow.status, 201, 'a base read after the deletion creates it again');
    assert.equal(fromNow.json.created, true);
  });

  it('answers HEAD like GET, without a body, for readers', async () => {
    for (const [address, token] of [['/api/v1/pages/Home', bobToken], ['/api/v1/pages/Home', aliceToken], ['/api/v1/pages/Home/history', bobToken]] as const) {
      const res = await t.fetch(t.url(address, 'demo'), { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, address);
      assert.equal(await res.text(), '');
    }
    const missing = await t.fetch(t.url('/api/v1/pages/No_Such_Page', 'demo'), { method: 'HEAD', headers: { authorization: `Bearer ${bobToken}` } });
    assert.equal(missing.status, 404);
  });

  it('stores a commit message without control characters, so git fsck --strict passes', async () => {
    const saved = await call('PUT', '/api/v1/pages/Nul_Message', { body: { content: 'n\n', commit_message: 'hello\u0000world\u0007 \r\nsecond line' } });
    assert.equal(saved.status, 201, saved.text);
    const rev = saved.json.revision as string;
    await waitForBranch(gitdir(), rev);
    execFileSync('git', ['--git-dir', gitdir(), 'fsck', '--strict', '--no-dangling'], { stdio: 'pipe' });
    assert.equal(execFileSync('git', ['--git-dir', gitdir(), 'log', '-1', '--format=%B', rev], { encoding: 'utf8' }), 'hello world  \nsecond line\n\n');
    const history = (await call('GET', '/api/v1/pages/Nul_Message/history')).json.history as { message: string }[];
    assert.equal(history[0]!.message, 'hello world  \nsecond line', 'the index keeps the message as git stores it');
  });

  it('keeps backlinks and the index in step with every write', async () => {
    await call('PUT', '/api/v1/pages/Second_Page', { body: { content: 'Back to [[the first|Notes/First Page]].' } });
    const first = await call('GET', '/api/v1/pages/Notes/First_Page');
    assert.deepEqual(first.json.linked_from, ['Second_Page']);
    const del = await call('DELETE', '/api/v1/pages/Second_Page');
    assert.equal(del.status, 200, del.text);
    assert.equal((await call('GET', '/api/v1/pages/Second_Page')).status, 404);
    assert.deepEqual((await call('GET', '/api/v1/pages/Notes/First_Page')).json.linked_from, []);
    const history = await call('GET', '/api/v1/pages/Second_Page/history');
    assert.deepEqual((history.json.history as { change: string }[]).map((h) => h.change), ['deleted', 'added']);
  });

  it('lists with filters and pages through results', async () => {
    await call('PUT', '/api/v1/pages/Topics/Alpha', { body: { content: '---\ncategory: Research\ntags: [ai, wiki]\n---\n# Alpha\n' } });
    await call('PUT', '/api/v1/pages/Topics/Beta', { body: { content: '---\ncategory: research\ntags: wiki\n---\n# Beta\n' } });
    const byCategory = await call('GET', '/api/v1/pages?category=RESEARCH');
    assert.deepEqual((byCategory.json.pages as { path: string }[]).map((p) => p.path), ['Topics/Alpha', 'Topics/Beta']);
    const byTag = await call('GET', '/api/v1/pages?tag=ai');
    assert.deepEqual((byTag.json.pages as { path: string; tags: string[] }[]).map((p) => [p.path, p.tags]), [['Topics/Alpha', ['ai', 'wiki']]]);
    const first = await call('GET', '/api/v1/pages?prefix=Topics/&limit=1');
    assert.equal((first.json.pages as unknown[]).length, 1);
    const second = await call('GET', `/api/v1/pages?prefix=Topics/&limit=1&cursor=${encodeURIComponent(first.json.next_cursor as string)}`);
    assert.deepEqual((second.json.pages as { path: string }[]).map((p) => p.path), ['Topics/Beta']);
    assert.equal(second.json.next_cursor, null);
    assert.equal((await call('GET', '/api/v1/pages?updated_since=yesterday')).status, 400);
    const changelog = await call('GET', '/api/v1/changelog?limit=2');
    assert.equal((changelog.json.entries as unknown[]).length, 2);
  });
});

describe('search', () => {
  it('finds pages by words in the title and body, ranked, with snippets, in this wiki only', async () => {
    await call('PUT', '/api/v1/pages/Search/Rivers', { body: { content: '# Rivers of the north\n\nThe fjords run deep and the rivers run cold.\n' } });
    await call('PUT', '/api/v1/pages/Search/Mountains', { body: { content: '# Mountains\n\nSome rivers start here, high up.\n' } });
    await call('PUT', '/api/v1/pages/Secret', { token: otherToken, slug: 'other', body: { content: 'rivers in another wiki' } });
    const res = await call('GET', '/api/v1/search?q=rivers');
    assert.equal(res.status, 200, res.text);
    const results = res.json.results as { path: string; snippet: string; score: number }[];
    assert.deepEqual(results.map((r) => r.path), ['Search/Rivers', 'Search/Mountains']);
    assert.equal(results[0]!.score, 1);
    assert.match(results[1]!.snippet, /rivers start here/);
    assert.equal(res.json.total, 2);
    assert.equal((await call('GET', '/api/v1/search?q=volcano')).json.total, 0);
    assert.deepEqual(((await call('GET', '/api/v1/search?q=running')).json.results as { path: string }[]).map((r) => r.path), ['Search/Rivers'], 'stemming: running finds run');
    assert.equal((await call('GET', '/api/v1/search')).status, 400);
    assert.equal((await call('GET', '/api/v1/search?q=%22%20NEAR(')).status < 500, true);
  });
  it('marks the match in a long page, around where it occurs, and pages through results', async () => {
    const long = `---\ntitle: Long read\n---\n# Long read\n\n${'Filler words about nothing much. '.repeat(1000)}Here a narwhal surfaces.\n`;
    await call('PUT', '/api/v1/pages/Search/Long', { body: { content: long } });
    const res = await call('GET', '/api/v1/search?q=narwhals');
    const [hit] = res.json.results as { path: string; snippet: string }[];
    assert.equal(hit?.path, 'Search/Long');
    assert.match(hit!.snippet, /^….*Here a narwhal surfaces\.$/, 'the words around the match, without highlight markers in JSON');
    for (let i = 0; i < 5; i++) await call('PUT', `/api/v1/pages/Search/Otter_${i}`, { body: { content: `Otter number ${i} floats.` } });
    const pages = [0, 2, 4].map((offset) => call('GET', `/api/v1/search?q=otter&limit=2&offset=${offset}`));
    const seen = (await Promise.all(pages)).flatMap((r) => (r.json.results as { path: string }[]).map((h) => h.path));
    assert.equal(new Set(seen).size, 5);
  });
});

describe('access', () => {
  it('hides a private wiki from anonymous callers and refuses tokens of another wiki', async () => {
    assert.equal((await call('GET', '/api/v1/pages/Home', { token: null })).status, 401);
    const foreign = await call('GET', '/api/v1/pages/Home', { token: otherToken });
    assert.equal(foreign.status, 401);
    assert.match(foreign.json.message as string, /not valid for the wiki "demo"/);
    assert.equal((await call('GET', '/api/v1/pages/Home', { token: 'wfpat_forged' })).status, 401);
    assert.equal((await call('GET', '/api/v1/pages/Home', { token: otherToken, slug: 'other' })).status, 200);
    assert.equal((await call('GET', '/api/v1/pages/Home', { token: null, slug: 'other' })).status, 200, 'public wikis are readable by anyone');
    assert.equal((await call('PUT', '/api/v1/pages/X', { token: null, slug: 'other', body: { content: 'x' } })).status, 401);
  });
  it('lets a viewer read but not write', async () => {
    assert.equal((await call('GET', '/api/v1/pages/Home', { token: bobToken })).status, 200);
    const write = await call('PUT', '/api/v1/pages/Bobs', { token: bobToken, body: { content: 'x' } });
    assert.equal(write.status, 403);
    assert.equal(write.json.error, 'forbidden');
  });
});

describe('bad input gets a clear 4xx and writes nothing', () => {
  it('refuses hostile page names', async () => {
    const before = (await call('GET', '/api/v1/changelog?limit=500')).json.entries as unknown[];
    for (const bad of ['..%2Fetc%2Fpasswd', 'a/../../b', '.git/config', 'a/.hidden', '%00nul', 'ctl%01x', 'back%5Cslash', 'x'.repeat(600), 'mcp', '%E0%A4%A']) {
      const res = await call('PUT', `/api/v1/pages/${bad}`, { body: { content: 'x' } });
      assert.ok(res.status === 400 || res.status === 404, `${bad}: ${res.status} ${res.text}`);
      assert.ok(res.json.message, bad);
    }
    const afterwards = (await call('GET', '/api/v1/changelog?limit=500')).json.entries as unknown[];
    assert.equal(afterwards.length, before.length);
  });
  it('answers a browser with an HTML error page that may load and run nothing', async () => {
    for (const address of ['/api/v1/nonexistent', '/api/v1/pages/%E0%A4%A', '/.git/info/nothing']) {
      const res = await t.fetch(t.url(address, 'demo'), { headers: { accept: 'text/html', authorization: `Bearer ${aliceToken}` } });
      assert.ok(res.status >= 400 && res.status < 500, `${address}: ${res.status}`);
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", address);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      await res.body?.cancel();
    }
  });
  it('refuses bad revisions, bodies and oversized pages', async () => {
    assert.equal((await call('GET', '/api/v1/pages/Home?revision=zzzzzzz')).status, 400);
    assert.equal((await call('GET', '/api/v1/pages/Home?revision=abc')).status, 400);
    assert.equal((await call('GET', '/api/v1/pages/Home?revision=0000000')).status, 404);
    assert.equal((await call('PUT', '/api/v1/pages/J', { body: '{not json' })).status, 400);
    assert.equal((await call('PUT', '/api/v1/pages/J', { body: { text: 'no content field' } })).status, 400);
    assert.equal((await call('PUT', '/api/v1/pages/J', { body: { content: 'x'.repeat(1024 * 1024 + 1) } })).status, 413);
    assert.equal((await call('GET', '/api/v1/pages/J')).status, 404);
  });
  it('refuses text that is not valid Unicode instead of storing U+FFFD in its place', async () => {
    // Bytes that are not UTF-8 (a lone continuation byte, an overlong encoding) inside a JSON string.
    for (const bad of [Buffer.from([0x80]), Buffer.from([0xc0, 0xaf])]) {
      const body = Buffer.concat([Buffer.from('{"content":"caf'), bad, Buffer.from('"}')]);
      const res = await t.fetch(t.url('/api/v1/pages/Bad_Bytes', 'demo'), { method: 'PUT', headers: { authorization: `Bearer ${aliceToken}`, 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { message: string }).message, /not valid UTF-8/);
    }
    // Valid JSON, but half of a surrogate pair: no UTF-8 can hold it.
    const lone = await call('PUT', '/api/v1/pages/Bad_Bytes', { body: '{"content":"a \\ud800 b"}' });
    assert.equal(lone.status, 400, lone.text);
    assert.match(lone.json.message as string, /not valid Unicode/);
    assert.equal((await call('GET', '/api/v1/pages/Bad_Bytes')).status, 404, 'nothing written');
    // A pair, escaped, is a character like any other.
    const pair = await call('PUT', '/api/v1/pages/Good_Pair', { body: '{"content":"\\ud83c\\udf89"}' });
    assert.equal(pair.status, 201, pair.text);
    assert.equal((await call('GET', '/api/v1/pages/Good_Pair')).json.content, '\u{1F389}');
  });
});

describe('quotas', () => {
  it('refuses a write that would take the wiki over its quota with 413, writing nothing; deleting always works', async () => {
    const small = await createWiki(db, { slug: 'small', ownerDid: ALICE, visibility: 'public' }, system);
    await setWikiQuota(db, 'small', { maxBytes: 3000, maxPages: 3 }, system);
    const token = (await mintPersonalAccessToken(db, { wiki: small, userDid: ALICE, name: 't', scopes: ['read', 'write'], expiresAt: null }, system)).token;
    const put = (p: string, content: string) => call('PUT', `/api/v1/pages/${p}`, { token, slug: 'small', body: { content } });
    assert.equal((await put('A', 'a'.repeat(1500))).status, 201);
    const smallGit = path.join(t.dataDir, 'git', `${small.id}.git`);
    const commits = () => execFileSync('git', ['--git-dir', smallGit, 'rev-list', '--count', 'main'], { encoding: 'utf8' }).trim();
    const before = commits();
    const over = await put('B', 'b'.repeat(1500));
    assert.equal(over.status, 413);
    assert.equal(over.json.error, 'too_large');
    assert.match(over.json.message as string, /quota exceeded.*Nothing was saved/i);
    assert.equal((await call('GET', '/api/v1/pages/B', { token, slug: 'small' })).status, 404);
    assert.equal(commits(), before, 'no commit on the branch');
    const upload = await call('POST', '/api/v1/pages/A/attachments', { token, slug: 'small', body: { filename: 'big.bin', content: Buffer.alloc(2000).toString('base64') } });
    assert.equal(upload.status, 413);
    // Pages: Home and A exist; a third fits, a fourth does not.
    assert.equal((await put('C', 'c')).status, 201);
    assert.equal((await put('D', 'd')).status, 413);
    // Over quota after the limit is lowered: deleting still works.
    await setWikiQuota(db, 'small', { maxBytes: 10 }, system);
    assert.equal((await call('DELETE', '/api/v1/pages/C', { token, slug: 'small' })).status, 200);
    assert.equal((await call('GET', '/api/v1/pages/C', { token, slug: 'small' })).status, 404);
  });
});

describe('read caching', () => {
  it('gives every one of many simultaneous readers of a new head the same, whole answer', async () => {
    assert.equal((await call('PUT', '/api/v1/pages/Crowd', { body: { content: `# Crowd\n\n${'many readers at once. '.repeat(500)}` } })).status, 201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await t.fetch(t.url('/api/v1/pages/Crowd', 'demo'), { headers: { authorization: `Bearer ${aliceToken}` } });
        return { status: res.status, etag: res.headers.get('etag'), body: await res.text() };
      }),
    );
    assert.ok(answers.every((a) => a.status === 200 && a.etag === answers[0]!.etag && a.body === answers[0]!.body));
    assert.match((JSON.parse(answers[0]!.body) as { content: string }).content, /many readers at once/);
    const other = await call('GET', '/api/v1/pages/Crowd', { token: bobToken });
    assert.equal(other.status, 200, 'another caller is checked on its own, then served the shared answer');
  });
  it('answers reads with the head as ETag, 304 while it holds, and fresh data once a write moves it', async () => {
    const url = t.url('/api/v1/pages/Cached', 'demo');
    const auth = { authorization: `Bearer ${aliceToken}` };
    assert.equal((await call('PUT', '/api/v1/pages/Cached', { body: { content: 'one\n' } })).status, 201);
    const first = await t.fetch(url, { headers: auth });
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/"[0-9a-f]{40}"$/);
    const page = (await first.json()) as { content: string; revision: string };
    assert.equal(page.content, 'one\n');
    assert.equal((await t.fetch(url, { headers: { ...auth, 'if-none-match': etag } })).status, 304);
    const again = await t.fetch(url, { headers: auth });
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(((await again.json()) as { content: string }).content, 'one\n');
    // A write answers with the new state at once, for the writer and everyone else.
    assert.equal((await call('PUT', '/api/v1/pages/Cached', { body: { content: 'two\n', revision: page.revision } })).status, 200);
    const fresh = await t.fetch(url, { headers: { ...auth, 'if-none-match': etag } });
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.headers.get('etag'), etag);
    assert.equal(((await fresh.json()) as { content: string }).content, 'two\n');
    assert.equal((await call('GET', '/api/v1/pages/Cached', { token: bobToken })).json.content, 'two\n');
  });

  it('answers an attachment as bytes or as JSON by the Accept header, whichever was asked first', async () => {
    const pixel = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const up = await call('POST', '/api/v1/pages/Home/attachments', { body: { filename: 'logo.png', content: pixel.toString('base64') } });
    assert.equal(up.status, 201, up.text);
    const address = t.url('/api/v1/pages/Home/attachments/logo.png', 'demo');
    // JSON asked for twice first (the second ask is what the answer cache keeps)…
    for (let i = 0; i < 2; i++) {
      const asJson = await t.fetch(address, { headers: { authorization: `Bearer ${bobToken}`, accept: 'application/json' } });
      assert.equal(asJson.headers.get('content-type'), 'application/json');
      assert.equal(((await asJson.json()) as { content: string }).content, pixel.toString('base64'));
    }
    // …does not change what a browser or a download gets.
    for (let i = 0; i < 2; i++) {
      const bytes = await t.fetch(address, { headers: { authorization: `Bearer ${aliceToken}`, accept: '*/*' } });
      assert.equal(bytes.status, 200);
      assert.equal(bytes.headers.get('content-type'), 'image/png');
      assert.equal(bytes.headers.get('vary'), 'Accept');
      assert.deepEqual(Buffer.from(await bytes.arrayBuffer()), pixel);
    }
  });

  it('checks the caller on every cached read', async () => {
    assert.equal((await call('GET', '/api/v1/pages/Cached')).status, 200);
    assert.equal((await call('GET', '/api/v1/pages/Cached', { token: null })).status, 401);
    assert.equal((await call('GET', '/api/v1/pages/Cached', { token: otherToken })).status, 401);
  });
});

describe('concurrency and recovery', () => {
  it('40 concurrent writes make 40 commits and an index that matches git', async () => {
    await waitForBranch(gitdir(), await head());
    const beforeCount = Number(execFileSync('git', ['--git-dir', gitdir(), 'rev-list', '--count', 'main'], { encoding: 'utf8' }));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => call('PUT', `/api/v1/pages/Load/P${i}`, { body: { content: `# P${i}\n` } })));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [201]);
    await waitForBranch(gitdir(), await head());
    const afterCount = Number(execFileSync('git', ['--git-dir', gitdir(), 'rev-list', '--count', 'main'], { encoding: 'utf8' }));
    assert.equal(afterCount - beforeCount, 40);
    execFileSync('git', ['--git-dir', gitdir(), 'fsck', '--strict'], { stdio: 'pipe' });
    const inGit = execFileSync('git', ['--git-dir', gitdir(), 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).trim().split('\n').filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
    const inIndex = (await db.select({ path: pages.path }).from(pages).where(eq(pages.wikiId, demo.id))).map((r) => r.path).sort();
    assert.deepEqual(inIndex, inGit);
  });

  it('600 pages from 10 writers at once: no write hangs or fails, and every one is indexed', async () => {
    // Writers queue in the isolate; one that waits must never depend on another request alone to wake it,
    // or workerd cancels it as hung (the old promise-chain lock failed here, at the 550th page).
    for (let i = 0; i < 600; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => call('PUT', `/api/v1/pages/Many_${i + k}`, { slug: 'other', token: otherToken, body: { content: `# Many ${i + k}\n\n[[Many ${i + k + 1}]]\n` } })));
      assert.deepEqual([...new Set(batch.map((r) => r.status))], [201], `writes ${i}–${i + 9}: ${batch.find((r) => r.status !== 201)?.text}`);
    }
    const listed = await call('GET', '/api/v1/pages?prefix=Many_&limit=1000', { slug: 'other', token: otherToken });
    assert.equal((listed.json.pages as unknown[]).length, 600);
  });

  it('rebuilds a lost index from git on the next request', async () => {
    const [state] = await db.select().from(wikiRepos).where(eq(wikiRepos.wikiId, demo.id));
    const expected = (await call('GET', '/api/v1/pages?limit=1000')).json.pages;
    // As after a crash between a commit and its index update: the index is behind and damaged.
    await db.batch([db.delete(pages).where(eq(pages.wikiId, demo.id)), db.run(sql`update wiki_repos set indexed_commit = null where wiki_id = ${demo.id}`)]);
    // The running worker may remember the wiki's state for up to 2 × DIRECTORY_TTL_MS; edits behind its back show after that.
    await setTimeout(2 * DIRECTORY_TTL_MS + 50);
    const rebuilt = await call('GET', '/api/v1/pages?limit=1000');
    assert.deepEqual(rebuilt.json.pages, expected);
    const [after] = await db.select().from(wikiRepos).where(eq(wikiRepos.wikiId, demo.id));
    assert.equal(after!.indexedCommit, state!.headCommit);
    // The full text is back too: one row for each page.
    const hits = await db.all(sql`select rowid from pages_fts where pages_fts match ${`wiki : ${ftsWikiToken(demo.id)}`}`);
    assert.equal(hits.length, (expected as unknown[]).length);
  });
});
