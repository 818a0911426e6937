/**
 * Search by meaning against the real stack, with the suite's deterministic
 * embedding server as the provider (the real OpenAI-compatible client talks to
 * it over HTTP through the wiki worker's `embeddings` service): chunks follow
 * every write path within seconds (REST, web UI, MCP, rename, delete, revert,
 * git push); wikis stay apart; a provider outage never fails a write and the
 * queue catches up; a reindex killed half-way resumes after workerd restarts;
 * a new model rebuilds every wiki; results over REST, MCP and the web UI; and
 * with no provider, keyword results that say so.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, type Wiki } from '../../workers/lib/directory/wikis.ts';
import { startEmbeddingServer, type EmbeddingServer } from '../helpers/embedding-server.ts';
import { commitAll, git, runGit, writeFiles } from '../helpers/git-cli.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { tempDir } from '../helpers/temp.ts';
import { sessionToken, UiClient } from '../helpers/wiki-ui.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const system = { kind: 'system' } as const;
/** How long a write may take to show in search by meaning ("within seconds"). */
const FRESH_MS = 5000;

let emb: EmbeddingServer;
let t: TestStack;
let db: Db;
let closeDb: () => void;
const wikis: Record<string, Wiki> = {};
const tokens: Record<string, string> = {};

async function openStore(): Promise<void> {
  const opened = openDb({ url: t.stack.sqldUrl });
  db = opened.db;
  closeDb = () => opened.client.close();
}

before(async () => {
  emb = await startEmbeddingServer();
  t = await startTestStack({ settings: { embeddings: { url: emb.url, model: 'hash-256' } } });
  await openStore();
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
  for (const slug of ['demo', 'other', 'big']) {
    wikis[slug] = await createWiki(db, { slug, ownerDid: ALICE, title: slug[0]!.toUpperCase() + slug.slice(1) }, system);
    tokens[slug] = (await mintPersonalAccessToken(db, { wiki: wikis[slug]!, userDid: ALICE, name: 't', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  }
});

after(async () => {
  closeDb?.();
  await t?.stop();
  await emb?.stop();
});

async function api(slug: string, method: string, pathname: string, body?: unknown) {
  const res = await t.fetch(t.url(pathname, slug), {
    method,
    headers: { authorization: `Bearer ${tokens[slug]}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, any>, text };
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The page's index row and the revisions its chunks were made from, and whether it is queued. */
async function pageState(slug: string, page: string) {
  const wikiId = wikis[slug]!.id;
  const [row] = await db.all<{ revision: string | null; chunk_revisions: string | null; chunks: number; queued: number }>(sql`select
    (select updated_commit from pages where wiki_id = ${wikiId} and path = ${page}) as revision,
    (select group_concat(distinct revision) from semantic_chunks where wiki_id = ${wikiId} and page = ${page}) as chunk_revisions,
    (select count(*) from semantic_chunks where wiki_id = ${wikiId} and page = ${page}) as chunks,
    (select count(*) from semantic_queue where wiki_id = ${wikiId} and path = ${page}) as queued`);
  return row!;
}

/** Waits until the page's chunks are made from its current revision (or gone with it); answers how long it took. */
async function fresh(slug: string, page: string, timeoutMs = FRESH_MS): Promise<number> {
  const started = Date.now();
  await waitFor(`${slug}/${page} to be current in search by meaning`, async () => {
    const s = await pageState(slug, page);
    if (Number(s.queued)) return false;
    return s.revision === null ? Number(s.chunks) === 0 : s.chunk_revisions === s.revision && Number(s.chunks) > 0;
  }, timeoutMs);
  return Date.now() - started;
}

async function meaning(slug: string, q: string, extra = '') {
  const r = await api(slug, 'GET', `/api/v1/semantic-search?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function mcpCall(slug: string, name: string, args: Record<string, unknown>): Promise<string> {
  const res = await t.fetch(t.url('/mcp', slug), {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[slug]}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  const text = await res.text();
  const json = JSON.parse(text.startsWith('{') ? text : /^data: (.*)$/m.exec(text)![1]!) as { result: { content: { text: string }[]; isError?: boolean } };
  assert.ok(!json.result.isError, json.result.content[0]!.text);
  return json.result.content.map((c) => c.text).join('\n');
}

describe('freshness after every write path', () => {
  it('REST create, patch, revert, rename and delete', async () => {
    const put = await api('demo', 'PUT', '/api/v1/pages/Garage', { content: '# Garage\n\n## Repairs\n\nThe car needs new brakes before winter.\n' });
    assert.equal(put.status, 201, put.text);
    const ms = await fresh('demo', 'Garage');
    assert.ok(ms < FRESH_MS, `${ms} ms`);
    let r = await meaning('demo', 'automobile brakes');
    assert.equal(r.mode, 'meaning');
    assert.equal(r.results[0].path, 'Garage');
    assert.equal(r.results[0].revision, put.json.revision);

    const patch = await api('demo', 'PATCH', '/api/v1/pages/Garage', { append: 'The bicycle needs a new chain.' });
    assert.equal(patch.status, 200, patch.text);
    await fresh('demo', 'Garage');
    r = await meaning('demo', 'bicycle chain');
    assert.match(r.results[0].text, /bicycle needs a new chain/);

    const revert = await api('demo', 'POST', '/api/v1/revert', { revision: patch.json.revision });
    assert.equal(revert.status, 200, revert.text);
    await fresh('demo', 'Garage');
    assert.equal((await meaning('demo', 'bicycle chain', '&min_similarity=0.5')).results.length, 0, 'the reverted text is gone');

    const rename = await api('demo', 'POST', '/api/v1/pages/Garage/rename', { new_path: 'Workshop' });
    assert.equal(rename.status, 200, rename.text);
    await fresh('demo', 'Garage');
    await fresh('demo', 'Workshop');
    assert.deepEqual((await meaning('demo', 'automobile brakes')).results.map((h: { path: string }) => h.path), ['Workshop']);

    const del = await api('demo', 'DELETE', '/api/v1/pages/Workshop');
    assert.equal(del.status, 200, del.text);
    await fresh('demo', 'Workshop');
    assert.equal((await pageState('demo', 'Workshop')).chunks, 0);
    assert.deepEqual((await meaning('demo', 'automobile brakes')).results, []);
  });

  it('the web UI editor', async () => {
    const ui = new UiClient(t, 'demo', await sessionToken(t, 'alice.example.com'));
    const saved = await ui.savePage('Pets', '# Pets\n\nThe kitten sleeps on the sofa all afternoon.\n');
    assert.equal(saved.status, 303, saved.text.slice(0, 300));
    await fresh('demo', 'Pets');
    assert.equal((await meaning('demo', 'where does the cat sleep')).results[0].path, 'Pets');
  });

  it('MCP write_note and edit_note', async () => {
    const written = await mcpCall('demo', 'write_note', { path: 'Films', content: '# Films\n\nWatch a movie on Friday night.\n' });
    assert.match(written, /Created Films/);
    await fresh('demo', 'Films');
    const revision = /revision: ([0-9a-f]+)/.exec(written)![1]!;
    await mcpCall('demo', 'edit_note', { path: 'Films', revision, old_string: 'on Friday night', new_string: 'at the cinema on Saturday' });
    await fresh('demo', 'Films');
    assert.match((await meaning('demo', 'cinema saturday')).results[0].text, /at the cinema on Saturday/);
  });

  it('a git push', async () => {
    const { port } = new URL(t.url('/'));
    const dir = path.join(tempDir(), 'demo');
    await git(['clone', '-q', `http://x-token:${tokens.demo}@demo.wiki.localhost:${port}/.git`, dir]);
    writeFiles(dir, { 'Doctor.md': '# Doctor\n\nThe physician sees patients on Mondays.\n' });
    await commitAll(dir, 'Add the doctor');
    const push = await runGit(['push', 'origin', 'main'], { cwd: dir });
    assert.equal(push.code, 0, push.stderr);
    await fresh('demo', 'Doctor');
    assert.equal((await meaning('demo', 'when can I see a doctor')).results[0].path, 'Doctor');
  });
});

describe('results', () => {
  it('over REST: whole chunks with page, heading path, text, score, similarity and revision', async () => {
    const put = await api('demo', 'PUT', '/api/v1/pages/Guide', { content: `# Guide\n\n## Setup\n\nInstall the tools, then begin the server with the start command. ${'More setup words here. '.repeat(20)}\n\n## Backups\n\nCopy the data directory every night to the backup disk. ${'Backup details follow. '.repeat(20)}\n` });
    await fresh('demo', 'Guide');
    const r = await meaning('demo', 'how do I commence the server', '&n=3&max_chunks_per_page=1');
    assert.equal(r.mode, 'meaning');
    assert.equal(r.notice, null);
    const top = r.results[0];
    assert.deepEqual(Object.keys(top).sort(), ['chunk_index', 'matched', 'name', 'path', 'revision', 'score', 'section', 'similarity', 'text', 'total_chunks']);
    assert.deepEqual([top.path, top.section, top.revision, top.chunk_index, top.total_chunks], ['Guide', 'Guide > Setup', put.json.revision, 0, 2]);
    assert.match(top.text, /^Install the tools, then begin the server/);
    assert.ok(top.similarity > 0.3 && top.score > 0 && top.score <= 1, JSON.stringify(top));
    assert.equal(r.results.filter((h: { path: string }) => h.path === 'Guide').length, 1, 'one chunk per page as asked');
    const bad = await api('demo', 'GET', '/api/v1/semantic-search');
    assert.equal(bad.status, 400);
  });

  it('over MCP: semantic_search gives whole passages with the section to read', async () => {
    const text = await mcpCall('demo', 'semantic_search', { query: 'copy data to the backup disk', n: 2 });
    assert.match(text, /^\d+ results for "copy data to the backup disk" \(by meaning/);
    assert.match(text, /1\. Guide — Guide > Backups \(score 1\.00, similarity 0\.\d\d, passage 2\/2, revision [0-9a-f]{12}\)/);
    assert.match(text, /\n {3}Copy the data directory every night to the backup disk\./);
    assert.match(text, /read_note\(path, section=/);
  });

  it('in the web UI: the search page by meaning, and the status page', async () => {
    const ui = new UiClient(t, 'demo', await sessionToken(t, 'alice.example.com'));
    const page = await ui.get('/-/search?by=meaning&q=backup%20disk');
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>Search by meaning<\/h1>/);
    assert.match(page.text, /href="\/Guide#backups"/);
    assert.match(page.text, /Copy the data directory every night/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const words = await ui.get('/-/search?q=backup');
    assert.match(words.text, /name="by" value="meaning"/, 'the keyword page offers search by meaning');
    const status = await ui.get('/-/semantic');
    assert.equal(status.status, 200);
    assert.match(status.text, /<progress id="semantic-progress" value="\d+" max="\d+">/);
    assert.match(status.text, /hash-256 \(openai, 256 dimensions\)/);
    assert.match(status.text, /Reindex the whole wiki/);
  });
});

describe('isolation', () => {
  it('keeps each wiki to its own chunks and its own vector table', async () => {
    await api('other', 'PUT', '/api/v1/pages/Secret', { content: 'The saffron recipe of the other wiki.' });
    await api('demo', 'PUT', '/api/v1/pages/Spice', { content: 'Demo keeps its saffron in a jar.' });
    await fresh('other', 'Secret');
    await fresh('demo', 'Spice');
    assert.deepEqual((await meaning('demo', 'saffron', '&min_similarity=0')).results.map((h: { path: string }) => h.path).filter((p: string) => p === 'Secret'), []);
    assert.deepEqual((await meaning('other', 'saffron')).results.map((h: { path: string }) => h.path), ['Secret']);
    const tables = await db.all<{ wiki_id: string; vector_table: string }>(sql`select wiki_id, vector_table from semantic_indexes`);
    assert.equal(new Set(tables.map((r) => r.vector_table)).size, tables.length);
    const foreign = await t.fetch(t.url('/api/v1/semantic-search?q=saffron', 'demo'), { headers: { authorization: `Bearer ${tokens.other}` } });
    assert.equal(foreign.status, 401, 'a token works on its own wiki only');
  });
});

describe('outages and restarts', () => {
  it('a provider that is down never fails a write; the queue catches up once it is back', async () => {
    emb.down = true;
    try {
      const put = await api('demo', 'PUT', '/api/v1/pages/Outage', { content: 'Written while the puppy chewed the embedding server cable.' });
      assert.equal(put.status, 201, put.text);
      await new Promise((r) => setTimeout(r, 1500));
      const s = await pageState('demo', 'Outage');
      assert.deepEqual([Number(s.queued), Number(s.chunks)], [1, 0]);
      const r = await meaning('demo', 'puppy cable');
      assert.equal(r.mode, 'keyword');
      assert.match(r.notice, /unavailable right now/);
      assert.equal(r.results[0].path, 'Outage');
    } finally {
      emb.down = false;
    }
    await fresh('demo', 'Outage', 20_000);
    assert.equal((await meaning('demo', 'dog cable')).results[0].path, 'Outage');
  });

  it('a reindex that workerd dies in the middle of resumes after the restart', async () => {
    const pages = Array.from({ length: 48 }, (_, i) => [`Note_${i}`, `# Note ${i}\n\n${'The garden needs water. '.repeat(10)} Plant ${i} grows near the fence.\n`] as const);
    for (const [p, content] of pages) assert.equal((await api('big', 'PUT', `/api/v1/pages/${p}`, { content })).status, 201);
    for (const [p] of pages) await fresh('big', p, 20_000);
    const embeddedBefore = emb.log.length;
    emb.delayMs = 700;
    try {
      const started = await api('big', 'POST', '/api/v1/reindex');
      assert.equal(started.status, 202, started.text);
      assert.equal(started.json.status, 'in_progress');
      assert.equal((await api('big', 'POST', '/api/v1/reindex')).status, 409, 'one at a time');
      await waitFor('the reindex to be under way', async () => {
        const s = await api('big', 'GET', '/api/v1/reindex/status');
        return s.json.reindex.done > 0 && s.json.reindex.done < s.json.reindex.total;
      }, 20_000);
      const workerd = t.stack.children().workerd;
      workerd.process.kill('SIGKILL');
      await waitFor('workerd to be restarted', async () => t.stack.children().workerd.pid !== workerd.pid && (await fetch(`${t.stack.internalUrl}/healthz`)).ok, 20_000);
    } finally {
      emb.delayMs = 0;
    }
    const done = await waitFor('the reindex to complete', async () => {
      const s = await api('big', 'GET', '/api/v1/reindex/status');
      return s.json.status === 'complete' ? s.json : null;
    }, 60_000);
    assert.deepEqual([done.reindex.done, done.reindex.total, done.queued, done.chunks], [49, 49, 0, 49]);
    for (const [p] of pages) await fresh('big', p);
    const reembedded = new Set(emb.log.slice(embeddedBefore));
    assert.ok(pages.every(([p]) => [...reembedded].some((text) => text.startsWith(`[${p.replace('_', ' ')}]`))), 'every page was embedded again');
  });

  it('a new model rebuilds every wiki', async () => {
    closeDb();
    await t.stack.stop();
    t = await startTestStack({ dataDir: t.dataDir, settings: { embeddings: { url: emb.url, model: 'hash-32' } } });
    await openStore();
    const status = await waitFor('demo to be indexed with the new model', async () => {
      const s = await api('demo', 'GET', '/api/v1/reindex/status');
      return s.json.model === 'hash-32' && s.json.status === 'complete' ? s.json : null;
    }, 30_000);
    assert.equal(status.dimensions, 32);
    assert.equal(status.queued, 0);
    const index = await db.all<{ vector_table: string }>(sql`select vector_table from semantic_indexes where wiki_id = ${wikis.demo!.id}`);
    const [col] = await db.all<{ sql: string }>(sql`select sql from sqlite_master where name = ${index[0]!.vector_table}`);
    assert.match(col!.sql, /F32_BLOB\(32\)/);
    assert.equal((await meaning('demo', 'copy data to the backup disk')).results[0].path, 'Guide');
  });
});

describe('with no provider configured', () => {
  let off: TestStack;
  let token: string;
  before(async () => {
    off = await startTestStack();
    const { db: offDb, client } = openDb({ url: off.stack.sqldUrl });
    await upsertUser(offDb, { did: ALICE, handle: 'alice.example.com' }, system);
    const w = await createWiki(offDb, { slug: 'plain', ownerDid: ALICE }, system);
    token = (await mintPersonalAccessToken(offDb, { wiki: w, userDid: ALICE, name: 't', scopes: ['read', 'write'], expiresAt: null }, system)).token;
    client.close();
  });
  after(() => off?.stop());

  it('says plainly that search by meaning is off and serves keyword results', async () => {
    const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await off.fetch(off.url('/api/v1/pages/Garage', 'plain'), { method: 'PUT', headers: h, body: JSON.stringify({ content: 'The car needs brakes.' }) });
    const r = (await (await off.fetch(off.url('/api/v1/semantic-search?q=brakes', 'plain'), { headers: h })).json()) as Record<string, any>;
    assert.equal(r.mode, 'keyword');
    assert.match(r.notice, /^Meaning-based \(semantic\) search is off/);
    assert.equal(r.results[0].path, 'Garage');
    const reindex = await off.fetch(off.url('/api/v1/reindex', 'plain'), { method: 'POST', headers: h });
    assert.equal(reindex.status, 503);
    const status = (await (await off.fetch(off.url('/api/v1/reindex/status', 'plain'), { headers: h })).json()) as Record<string, any>;
    assert.deepEqual([status.enabled, status.status], [false, 'off']);
  });
});
