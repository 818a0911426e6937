/**
 * A timing figure, not a benchmark gate: 2,000 pages of ~2 KB in each of two
 * wikis, 50 assorted queries against one of them; prints p50/p90/max.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { searchSource, seedPages, seedWiki, type SeedPage } from './search-kit.test.ts';
import { searchPages } from './search-pages.ts';

const PAGES_PER_WIKI = 2_000;
const BODY_BYTES = 2_000;
const A = 'wk_timingtiming0a';
const B = 'wk_timingtiming0b';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vor', 'ne', 'pli', 'dax', 'qu', 'ber', 'fin', 'gol', 'hy', 'jo'];
const rand = random(7);
/** 3,000 made-up words; word i is drawn with probability falling off like a Zipf law. */
const VOCAB = Array.from({ length: 3_000 }, (_, i) => {
  let w = '';
  for (let n = 2 + (i % 3); n > 0; n--) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
  return `${w}${i}`;
});
function word(r: () => number): string {
  return VOCAB[Math.floor(VOCAB.length * r() ** 3)]!;
}

function wikiPages(seed: number): SeedPage[] {
  const r = random(seed);
  return Array.from({ length: PAGES_PER_WIKI }, (_, i) => {
    let body = '';
    while (body.length < BODY_BYTES) body += `${word(r)} ${word(r)} ${word(r)} ${word(r)} ${word(r)}.\n`;
    return { path: `Page_${i}`, title: `${word(r)} ${word(r)}`, body };
  });
}

/** What the i-th query is, in turn: a word drawn like page text, any word, two words, a phrase, a prefix. */
const KINDS = ['word', 'rare word', 'two words', 'phrase', 'prefix'] as const;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

let s: TestSqld;
let pagesA: SeedPage[];
before(async () => {
  s = await startTestSqld();
  await seedWiki(s.db, A);
  await seedWiki(s.db, B);
  pagesA = wikiPages(1);
  await seedPages(s.db, A, pagesA);
  await seedPages(s.db, B, wikiPages(2));
});
after(() => s.stop());

it('searches 2,000 pages (of 4,000 in the store) quickly enough to report', async (t) => {
  const r = random(99);
  const queries: string[] = [];
  for (let i = 0; i < 50; i++) {
    const page = pagesA[Math.floor(r() * pagesA.length)]!;
    const words = page.body.split(/[\s.]+/).filter(Boolean);
    const at = Math.floor(r() * (words.length - 2));
    const [w1, w2] = [words[at]!, words[at + 1]!];
    queries.push([w1, VOCAB[Math.floor(r() * VOCAB.length)]!, `${w1} ${w2}`, `"${w1} ${w2}"`, `${w1.slice(0, 4)}*`][i % 5]!);
  }
  await searchPages(searchSource(s.db), A, queries[0]!); // warm up the connection
  const times: number[] = [];
  const byKind = new Map<string, number[]>();
  let hits = 0;
  for (const [i, q] of queries.entries()) {
    const start = performance.now();
    const res = await searchPages(searchSource(s.db), A, q, { limit: 20 });
    const ms = performance.now() - start;
    times.push(ms);
    const kind = KINDS[i % KINDS.length]!;
    byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    hits += res.total;
  }
  const p50 = (xs: number[]) => percentile(xs, 0.5).toFixed(1);
  const summary = [
    `search p50 ${p50(times)} ms, p90 ${percentile(times, 0.9).toFixed(1)} ms, max ${percentile(times, 1).toFixed(1)} ms over ${queries.length} queries`,
    `(${hits} matches in all; ${PAGES_PER_WIKI} pages of ~${BODY_BYTES} B per wiki, 2 wikis);`,
    `p50 by kind: ${[...byKind].map(([k, xs]) => `${k} ${p50(xs)} ms`).join(', ')}`,
  ].join(' ');
  t.diagnostic(summary);
  assert.ok(hits > 0);
});
