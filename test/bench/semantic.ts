/**
 * Search by meaning under load, on a stack of its own with the deterministic
 * embedding server as the provider (384 dimensions, as all-minilm): a wiki of
 * 1,000 pages in 100 topics that chunks into exactly 10,000 chunks, then
 *
 * - indexing throughput: the first index of the whole wiki (seeded while the
 *   provider was down) and a requested reindex, timed by the drainer itself:
 *   chunks per second of drain time minus the time spent waiting for the
 *   provider (issue 7's target: ≥ 500 chunks/s);
 * - the vector query alone, from this process against sqld (`vector_top_k`
 *   over the wiki's DiskANN index, exact distances, joined to the chunks), with
 *   its recall of the exact top 10;
 * - end to end: `GET /api/v1/semantic-search` at one connection (issue 7's
 *   target: p50 ≤ 15 ms over 10,000 chunks) and at ten.
 */
import { sql } from 'drizzle-orm';
import type { Stack } from '../../bin/lib/stack.ts';
import { openDb } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, type Wiki } from '../../workers/lib/directory/wikis.ts';
import { vectorBlob } from '../../workers/wiki/semantic/store.ts';
import { hashEmbedding } from '../helpers/embedding-server.ts';
import { httpFetch } from '../helpers/http.ts';
import type { Scenario } from './scenario.ts';

export const SEMANTIC_MODEL = 'hash-384';
const DIMENSIONS = 384;
const OWNER = 'did:plc:semanticbenchsemanticben';
const PAGES = 1000;
const SECTIONS = 5;
const TOPICS = 100;
const system = { kind: 'system' } as const;

let token = '';
let wiki: Wiki;

/** A pseudo-word from a number: syllables, so that topics have their own vocabulary. */
function word(n: number): string {
  const syl = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'ri', 'po', 'de', 'vu', 'ga', 'zo', 'he', 'bi', 'fa', 'ju'];
  let s = '';
  let x = n + 17;
  for (let i = 0; i < 3; i++) {
    s += syl[x % syl.length];
    x = Math.floor(x / syl.length) + 7 * i;
  }
  return `${s}${n % 10}`;
}

const topicWords = (t: number) => Array.from({ length: 40 }, (_, i) => word(t * 40 + i));
const COMMON = Array.from({ length: 200 }, (_, i) => word(100_000 + i));

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/** 150 words mostly from one topic: two of them make a section of two chunks. */
function paragraph(topic: number, seed: number): string {
  const r = rng(seed);
  const vocab = topicWords(topic);
  const words: string[] = [];
  for (let i = 0; i < 150; i++) words.push(r() < 0.7 ? vocab[Math.floor(r() * vocab.length)]! : COMMON[Math.floor(r() * COMMON.length)]!);
  const sentences: string[] = [];
  for (let i = 0; i < words.length; i += 15) sentences.push(`${words.slice(i, i + 15).join(' ')}.`);
  return sentences.join(' ');
}

/** Page `i`: five sections of 300 words, ten chunks. */
export function semanticPage(i: number): string {
  const parts = [`# Topic page ${i}`, ''];
  for (let k = 0; k < SECTIONS; k++) {
    const topic = (i * 7 + k * 13) % TOPICS;
    parts.push(`## Section ${k} on ${word(topic * 40)}`, '', paragraph(topic, i * 100 + k * 2), '', paragraph(topic, i * 100 + k * 2 + 1), '');
  }
  return parts.join('\n');
}

/** A query of five words of one topic. */
export function semanticQuery(topic: number): string {
  return topicWords(topic).slice(3, 8).join(' ');
}

async function api(stack: Stack, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const res = await httpFetch(`http://semantic.wiki.localhost:${stack.wikiPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, any>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function internalStats(stack: Stack): Promise<{ chunksAdded: number; busyMs: number; providerMs: number }> {
  return (await (await fetch(`${stack.internalUrl}/internal/semantic/stats`)).json()) as { chunksAdded: number; busyMs: number; providerMs: number };
}

async function untilComplete(stack: Stack, timeoutMs: number): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await api(stack, 'GET', '/api/v1/reindex/status');
    if (s.status === 'complete' && s.queued === 0) return s;
    if (Date.now() > until) throw new Error(`the semantic index did not complete: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (n: number) => Math.round(n * 10) / 10;

export interface IndexingFigures {
  chunks: number;
  wallMs: number;
  drainMs: number;
  providerMs: number;
  chunksPerSecond: number;
  chunksPerSecondWithProvider: number;
}

export interface SemanticFigures {
  pages: number;
  chunks: number;
  seedMs: number;
  /** The first index of the whole wiki, and a requested reindex (every vector deleted and inserted): chunks per second of drain time without the provider's time, and of wall time. */
  indexing: IndexingFigures;
  reindexing: IndexingFigures;
  /** The vector query alone against sqld. */
  vectorQuery: { queries: number; p50Ms: number; p99Ms: number; recallAt10: number };
}

/**
 * Seeds the wiki with the provider down (so nothing is embedded yet), then
 * times the first index of the whole wiki once it is back, and a requested
 * reindex, and measures the vector query alone; returns the figures.
 */
export async function setupSemantic(stack: Stack, provider: { down: boolean }, log: (line: string) => void): Promise<SemanticFigures> {
  const { db, client } = openDb({ url: stack.sqldUrl });
  try {
    await upsertUser(db, { did: OWNER, handle: 'semantic.example.com' }, system);
    wiki = await createWiki(db, { slug: 'semantic', ownerDid: OWNER, title: 'Semantic' }, system);
    token = (await mintPersonalAccessToken(db, { wiki, userDid: OWNER, name: 'bench', scopes: ['read', 'write'], expiresAt: null }, system)).token;

    const seedStart = performance.now();
    provider.down = true;
    // One writer at a time, as people and agents write.
    for (let i = 0; i < PAGES; i++) await api(stack, 'PUT', `/api/v1/pages/Topics/P${i}`, { content: semanticPage(i) });
    const seedMs = performance.now() - seedStart;
    log(`seeded ${PAGES} pages in ${Math.round(seedMs)} ms, the provider down`);

    const timeIndex = async (what: string, start: () => Promise<unknown>) => {
      const before = await internalStats(stack);
      const started = performance.now();
      await start();
      const done = await untilComplete(stack, 900_000);
      const wallMs = performance.now() - started;
      // The drainer adds a drain's figures when the drain returns: wait until they stop moving.
      let after = await internalStats(stack);
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const again = await internalStats(stack);
        if (again.chunksAdded === after.chunksAdded && again.busyMs === after.busyMs) break;
        after = again;
      }
      const chunks = after.chunksAdded - before.chunksAdded;
      const drainMs = after.busyMs - before.busyMs;
      const providerMs = after.providerMs - before.providerMs;
      const figures = { chunks, wallMs: Math.round(wallMs), drainMs: Math.round(drainMs), providerMs: Math.round(providerMs), chunksPerSecond: round(chunks / ((drainMs - providerMs) / 1000)), chunksPerSecondWithProvider: round(chunks / (wallMs / 1000)) };
      log(`${what}: ${chunks} chunks in ${figures.wallMs} ms; ${figures.chunksPerSecond} chunks/s of drain time without the provider's ${figures.providerMs} ms (${figures.chunksPerSecondWithProvider}/s of wall time with it)`);
      return { done, figures };
    };
    const first = await timeIndex('first index', async () => void (provider.down = false));
    const again = await timeIndex('requested reindex', () => api(stack, 'POST', '/api/v1/reindex'));
    const done = again.done;
    const indexing = first.figures;
    const reindexing = again.figures;

    const [index] = await db.all<{ vector_table: string }>(sql`select vector_table from semantic_indexes where wiki_id = ${wiki.id}`);
    const table = sql.raw(`"${index!.vector_table}"`);
    const idx = sql.raw(`'${index!.vector_table}_idx'`);
    const times: number[] = [];
    let hits = 0;
    let total = 0;
    const queries = 200;
    for (let q = 0; q < queries; q++) {
      const v = vectorBlob(hashEmbedding(semanticQuery((q * 37) % TOPICS) + ` ${word(q)}`, DIMENSIONS));
      const t0 = performance.now();
      const ann = await db.all<{ id: number; d: number }>(sql`select c.id as id, vector_distance_cos(v.embedding, vector32(${v})) as d
        from vector_top_k(${idx}, vector32(${v}), 40) t join ${table} v on v.id = t.id join semantic_chunks c on c.id = t.id
        where c.wiki_id = ${wiki.id} order by d limit 10`);
      times.push(performance.now() - t0);
      if (q % 10 === 0) {
        // Ties are common (many chunks of a topic are as close as each other): a hit is any chunk as close as the exact 10th.
        const exact = await db.all<{ d: number }>(sql`select vector_distance_cos(embedding, vector32(${v})) as d from ${table} order by d limit 10`);
        const tenth = Number(exact[exact.length - 1]!.d);
        for (const r of ann) (total++, Number(r.d) <= tenth + 1e-6 && hits++);
      }
    }
    const vectorQuery = { queries, p50Ms: round(pct(times, 0.5)), p99Ms: round(pct(times, 0.99)), recallAt10: Math.round((hits / total) * 1000) / 1000 };
    log(`vector query alone over ${done.chunks} chunks: p50 ${vectorQuery.p50Ms} ms, p99 ${vectorQuery.p99Ms} ms; ${Math.round(vectorQuery.recallAt10 * 100)}% of its top 10 as close as the exact top 10`);
    return { pages: PAGES, chunks: Number(done.chunks), seedMs: Math.round(seedMs), indexing, reindexing, vectorQuery };
  } finally {
    client.close();
  }
}

const on = (s: Stack, path: string) => `http://127.0.0.1:${s.wikiPort}${path}`;
const headers = (s: Stack) => ({ host: `semantic.wiki.localhost:${s.wikiPort}`, authorization: `Bearer ${token}` });
const query = encodeURIComponent(semanticQuery(42));

export const SEMANTIC: Scenario[] = [
  {
    name: 'semantic-search',
    what: 'GET /api/v1/semantic-search over 10,000 chunks: query embedded, vector_top_k + FTS5, fused, whole chunks (p50 target ≤ 15 ms)',
    connections: 1,
    load: (s) => ({ url: on(s, `/api/v1/semantic-search?q=${query}&n=5`), headers: headers(s) }),
  },
  { name: 'semantic-search-c10', what: 'semantic-search at 10 connections', connections: 10, load: (s) => ({ url: on(s, `/api/v1/semantic-search?q=${query}&n=5`), headers: headers(s) }) },
];
