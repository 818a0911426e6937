/**
 * The wiki's scenarios: a corpus of 500 linked pages (1–8 KB), one page with
 * 500 revisions, then reads, saves, search, history, index and recent changes
 * through the real API, and the same read and new searches again once 1,000
 * wikis of pages exist.
 */
import { pages } from '../../db/schema.ts';
import { openDb, runBatch } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { fullTextStatements } from '../../workers/wiki/index/full-text-rows.ts';
import { httpFetch } from '../helpers/http.ts';
import type { Stack } from '../../bin/lib/stack.ts';
import { PROSE_QUERY_WORDS, proseText } from './prose.ts';
import type { Scenario } from './scenario.ts';

const OWNER = 'did:plc:wikiwikiwikiwikiwikiwiki';
const PAGES = 500;
const REVISIONS = 500;
const WORDS = 'alpha beta gamma delta wiki agent research notes garden river mountain protocol index search history page link graph quantum market policy'.split(' ');

let token = '';
/** A token for the `prose` wiki (tokens are bound to one wiki). */
let proseToken = '';
const system = { kind: 'system' } as const;

function pageText(i: number): string {
  const size = 1024 + ((i * 7919) % 7168); // 1–8 KB
  const lines = [`# Page ${i}`, '', `Links: [[Page ${(i + 1) % PAGES}]], [[Page ${(i * 31) % PAGES}]] and [[Topic ${i % 20}]].`, ''];
  let n = i;
  while (lines.join('\n').length < size) {
    n = (n * 1103515245 + 12345) % 2147483648;
    lines.push(Array.from({ length: 12 }, (_, k) => WORDS[(n >> k) % WORDS.length]).join(' ') + '.');
  }
  return lines.join('\n') + '\n';
}

async function api(stack: Stack, method: string, path: string, body?: unknown, slug = 'corpus'): Promise<Record<string, unknown>> {
  const res = await httpFetch(`http://${slug}.wiki.localhost:${stack.wikiPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${slug === 'prose' ? proseToken : token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Seeds the corpus through the REST API (so the index is built the way it is in use). */
export async function setupWiki(stack: Stack, log: (line: string) => void): Promise<void> {
  const { db, client } = openDb({ url: stack.sqldUrl });
  await upsertUser(db, { did: OWNER, handle: 'owner.example.com' }, system);
  const wiki = await createWiki(db, { slug: 'corpus', ownerDid: OWNER, title: 'Corpus' }, system);
  token = (await mintPersonalAccessToken(db, { wiki, userDid: OWNER, name: 'bench', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  const prose = await createWiki(db, { slug: 'prose', ownerDid: OWNER, title: 'Prose' }, system);
  proseToken = (await mintPersonalAccessToken(db, { wiki: prose, userDid: OWNER, name: 'bench', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  client.close();
  const started = performance.now();
  for (let i = 0; i < PAGES; i += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, k) => api(stack, 'PUT', `/api/v1/pages/Page_${i + k}`, { content: pageText(i + k) })));
  }
  log(`seeded ${PAGES} pages in ${Math.round(performance.now() - started)} ms`);
  let revision = '';
  const histStart = performance.now();
  for (let r = 0; r < REVISIONS; r++) {
    const out = await api(stack, 'PUT', '/api/v1/pages/History', { content: `# History\n\nRevision ${r}\n`, ...(revision ? { revision } : {}) });
    revision = out.revision as string;
  }
  log(`wrote ${REVISIONS} revisions of one page in ${Math.round(performance.now() - histStart)} ms`);
  const proseStart = performance.now();
  for (let i = 0; i < PAGES; i += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, k) => api(stack, 'PUT', `/api/v1/pages/Note_${i + k}`, { content: proseText(i + k, PAGES) }, 'prose')));
  }
  log(`seeded ${PAGES} pages of prose in ${Math.round(performance.now() - proseStart)} ms`);
  // How many pages a prose query matches, from queries the scenarios never send (they start at request 0).
  const totals: number[] = [];
  for (let i = 100_000; i < 100_100; i++) {
    const q = [PROSE_QUERY_WORDS[i % 60], PROSE_QUERY_WORDS[Math.floor(i / 16) % 60], PROSE_QUERY_WORDS[Math.floor(i / 59) % 60]].join(' ');
    totals.push(Number((await api(stack, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}`, undefined, 'prose')).total));
  }
  totals.sort((a, b) => a - b);
  log(`prose queries match ${totals[10]} / ${totals[50]} / ${totals[90]} pages (p10 / p50 / p90 of 100)`);
}

/** Pages in each of the 999 other wikis. */
const OTHER_PAGES = 10;

/**
 * 999 more wikis (and their owners' rows), for the "1 or 1,000 wikis"
 * comparison, each with OTHER_PAGES pages of the corpus's words in its index
 * (rows only, no git: only what a search of the corpus wiki could touch).
 */
export async function addManyWikis(stack: Stack): Promise<void> {
  const { db, client } = openDb({ url: stack.sqldUrl });
  for (let i = 0; i < 999; i++) {
    const wiki = await createWiki(db, { slug: `other-${i}`, ownerDid: OWNER }, system);
    const texts = Array.from({ length: OTHER_PAGES }, (_, k) => ({ path: `Page_${k}`, body: pageText(i * OTHER_PAGES + k) }));
    const now = Date.now();
    await runBatch(db, [
      db.insert(pages).values(texts.map((t) => ({ wikiId: wiki.id, path: t.path, filePath: `${t.path}.md`, title: t.path, size: t.body.length, blobOid: '0'.repeat(40), updatedCommit: '0'.repeat(40), updatedAt: now, updatedBy: 'bench' }))),
      ...texts.flatMap((t) => fullTextStatements(db, wiki.id, t.path, t.path, t.body)),
    ]);
  }
  client.close();
}

const auth = () => ({ authorization: `Bearer ${token}` });
/** Wiki hosts are measured where Caddy sends them: the wiki worker's own socket. */
const on = (s: Stack, path: string) => `http://127.0.0.1:${s.wikiPort}${path}`;
const host = (s: Stack) => ({ host: `corpus.wiki.localhost:${s.wikiPort}` });

export const WIKI: Scenario[] = [
  { name: 'page-view', what: 'GET /Page_123: a rendered page in the web UI', load: (s) => ({ url: on(s, '/Page_123'), headers: { ...host(s), ...auth() } }) },
  { name: 'page-view-c10', what: 'page-view at 10 connections (compare gateway-health-c10; p99 target)', connections: 10, load: (s) => ({ url: on(s, '/Page_123'), headers: { ...host(s), ...auth() } }) },
  {
    name: 'page-view-via-gateway',
    what: 'page-view through the gateway\'s socket instead (no Caddy: the local default), one isolate more',
    load: (s) => ({ url: `http://127.0.0.1:${s.port}/Page_123`, headers: { host: `corpus.wiki.localhost:${s.port}`, ...auth() } }),
  },
  { name: 'page-read-api', what: 'GET /api/v1/pages/Page_123: content, revision, links and backlinks', load: (s) => ({ url: on(s, '/api/v1/pages/Page_123'), headers: { ...host(s), ...auth() } }) },
  { name: 'search', what: 'GET /api/v1/search?q=river mountain: FTS5 over 500 pages, ranked, with snippets', load: (s) => ({ url: on(s, '/api/v1/search?q=river%20mountain'), headers: { ...host(s), ...auth() } }) },
  {
    name: 'search-uncached',
    what: 'search as above, results pages no cached answer serves (20 hits with snippets, offsets 0–23): the ranking is remembered for the head after the first request, and every request reads 20 pages\' text and makes their snippets',
    // `n` makes each address new to the answer cache.
    load: (s) => ({ url: on(s, '/api/v1/search?q=river%20mountain&limit=20&offset={n%24}&n={n}'), uniquePaths: true, headers: { ...host(s), ...auth() } }),
  },
  {
    name: 'search-new-query',
    what: 'search with a new three-word query each request (first page of 20 hits): nothing remembered, so each request ranks the ~500 pages that match (all hold every word) and makes 20 snippets',
    load: (s) => ({ url: on(s, '/api/v1/search?q={w1}%20{w20}%20{w400}'), uniquePaths: true, words: WORDS, headers: { ...host(s), ...auth() } }),
  },
  { name: 'history-500', what: 'GET history (50 newest) of a page with 500 revisions', load: (s) => ({ url: on(s, '/api/v1/pages/History/history?limit=50'), headers: { ...host(s), ...auth() } }) },
  { name: 'history-1', what: 'GET history of a page with 1 revision (compare with history-500)', load: (s) => ({ url: on(s, '/api/v1/pages/Page_5/history?limit=50'), headers: { ...host(s), ...auth() } }) },
  { name: 'page-index', what: 'GET /api/v1/pages?limit=1000: the whole page index (the corpus: ~500 pages)', load: (s) => ({ url: on(s, '/api/v1/pages?limit=1000'), headers: { ...host(s), ...auth() } }) },
  { name: 'recent-changes', what: 'GET /api/v1/changelog?limit=50', load: (s) => ({ url: on(s, '/api/v1/changelog?limit=50'), headers: { ...host(s), ...auth() } }) },
];

// At 50 connections a p50 is mostly time spent queueing (Little's law: 50 / throughput); at 10 it is
// closer to a request's own latency under load. The read targets are reported at both.
for (const name of ['search', 'search-uncached', 'history-500', 'page-index', 'recent-changes']) {
  const base = WIKI.find((s) => s.name === name)!;
  // A numbered address gets another prefix, so the answers cached by the first run serve none of these.
  const load: Scenario['load'] = (s) => {
    const l = base.load(s);
    return l.uniquePaths ? { ...l, url: `${l.url}&run=c10` } : l;
  };
  WIKI.push({ ...base, name: `${name}-c10`, what: `${name} at 10 connections (the p50 target)`, connections: 10, load });
}
WIKI.push({
  name: 'search-new-query-c10',
  what: 'search-new-query at 10 connections (the p50 target); a fourth word, in every page too, keeps these queries new after the first run',
  connections: 10,
  load: (s) => ({ url: on(s, '/api/v1/search?q={w1}%20{w20}%20{w400}%20page'), uniquePaths: true, words: WORDS, headers: { ...host(s), ...auth() } }),
});
WIKI.push({
  name: 'search-new-query-c1',
  what: "search-new-query with one client: a request's own latency, without waiting behind others for the 2 cores; another fourth word keeps these queries new",
  connections: 1,
  load: (s) => ({ url: on(s, '/api/v1/search?q={w1}%20{w20}%20{w400}%20link'), uniquePaths: true, words: WORDS, headers: { ...host(s), ...auth() } }),
});
/** Brand-new queries of the `prose` wiki (prose.ts): its words are spread as in written text, not all in every page. */
const proseSearch = (s: Stack, q: string) => ({
  url: on(s, `/api/v1/search?q=${q}`),
  uniquePaths: true,
  words: PROSE_QUERY_WORDS,
  headers: { host: `prose.wiki.localhost:${s.wikiPort}`, authorization: `Bearer ${proseToken}` },
});
WIKI.push({
  name: 'search-new-query-prose-c1',
  what: 'search with a new three-word query each request, one client, on 500 pages whose 5,000 words are spread by Zipf\'s law (first page of 20 hits)',
  connections: 1,
  load: (s) => proseSearch(s, '{w1}%20{w16}%20{w59}'),
});
WIKI.push({
  name: 'search-new-query-prose-c10',
  what: 'search-new-query-prose-c1 at 10 connections (the p50 target); the words in another order, so no answer or ranking the first run remembered serves these',
  connections: 10,
  load: (s) => proseSearch(s, '{w59}%20{w16}%20{w1}'),
});
/** Writes to the corpus wiki: after every read of it (WIKI, WIKI_AT_SCALE), whose 500-page corpus their new pages (about 750) would otherwise grow. */
export const WIKI_WRITES: Scenario[] = [];
WIKI_WRITES.push({
  name: 'page-save',
  what: 'PUT /api/v1/pages/New/P{n}: a new page each time (commit + index), one writer, 1,000 wikis in the store',
  connections: 1,
  load: (s) => ({ url: on(s, '/api/v1/pages/New/P{n}'), method: 'PUT', uniquePaths: true, headers: { ...host(s), ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ content: pageText(7) }) }),
});

/** One MCP tools/call as Claude Code sends it: stateless, a personal access token, JSON-RPC over POST. */
function mcpCall(s: Stack, tool: string, args: Record<string, unknown>) {
  return {
    url: on(s, '/mcp'),
    method: 'POST' as const,
    headers: { ...host(s), ...auth(), 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', 'user-agent': 'claude-code/2.1.96 (cli)' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } }),
  };
}

/** The MCP endpoint (issue 5's targets: p50 ≤ 5 ms read, ≤ 15 ms write), one client at a time. */
export const MCP: Scenario[] = [
  { name: 'mcp-read-note', what: 'POST /mcp tools/call read_note Page_123 with a personal token (gateway → mcp → wiki RPC)', connections: 1, load: (s) => mcpCall(s, 'read_note', { path: 'Page_123' }) },
  { name: 'mcp-write-note', what: 'POST /mcp tools/call write_note: a new page each time (commit + index)', connections: 1, load: (s) => ({ ...mcpCall(s, 'write_note', { path: 'Mcp/W{n}', content: pageText(3) }), uniquePaths: true }) },
];

/** Run after addManyWikis: the same reads of the same corpus, with 1,000 wikis in the store. */
export const WIKI_AT_SCALE: Scenario[] = [
  { name: 'page-read-api-1000-wikis', what: 'page-read-api again, with 1,000 wikis in the store', load: (s) => ({ url: on(s, '/api/v1/pages/Page_123'), headers: { ...host(s), ...auth() } }) },
  {
    name: 'search-new-query-c1-1000-wikis',
    what: `search-new-query-c1 again, with 999 more wikis of ${OTHER_PAGES} pages each holding the same words (another fourth word keeps the queries new)`,
    connections: 1,
    load: (s) => ({ url: on(s, '/api/v1/search?q={w1}%20{w20}%20{w400}%20wiki'), uniquePaths: true, words: WORDS, headers: { ...host(s), ...auth() } }),
  },
  {
    name: 'search-new-query-c10-1000-wikis',
    what: 'search-new-query-c10 again, with the 999 more wikis (another fourth word keeps the queries new)',
    connections: 10,
    load: (s) => ({ url: on(s, '/api/v1/search?q={w1}%20{w20}%20{w400}%20index'), uniquePaths: true, words: WORDS, headers: { ...host(s), ...auth() } }),
  },
];
