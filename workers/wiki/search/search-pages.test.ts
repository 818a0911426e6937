/** Keyword search against a real sqld: isolation, ranking, language, syntax, snippets, paging. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { AppError } from '../../lib/errors.ts';
import { buildMatchQuery } from './match-query.ts';
import { wikiWordPrefix } from './wiki-words.ts';
import { searchSource, seedPages, seedWiki, type SeedPage } from './search-kit.test.ts';
import { SNIPPET_SCAN_CHARS, SNIPPET_WORDS } from './make-snippet.ts';
import { searchHitsSql, searchPages, type SearchResults } from './search-pages.ts';
import { SNIPPET_CLOSE, SNIPPET_ELLIPSIS, SNIPPET_OPEN, snippetToHtml, snippetToText } from './snippet.ts';

const A = 'wk_alphaalphaalpha';
const B = 'wk_betabetabetabe';
/** An id that holds A's. */
const A2 = 'wk_alphaalphaalpha_two';

const A_PAGES: SeedPage[] = [
  { path: 'Running', title: 'Running', body: 'Notes on how we organise the club.' },
  { path: 'Marathon', title: 'Marathon', body: 'The runner keeps running every morning before work.' },
  { path: 'Jog', title: 'Jog', body: 'I run daily around the lake.' },
  { path: 'Cafe', title: 'Café culture', body: 'We met at the café near the station.' },
  { path: 'Greek', title: 'Greek', body: 'Καλημέρα κόσμε, a greeting.' },
  { path: 'Shared', title: 'Shared in A', body: 'apple banana cherry' },
  { path: 'Unsafe', title: 'Unsafe', body: 'Beware <script>alert("x")</script> & friends: the zebrafish payload.' },
  { path: 'Quick', title: 'Quick fox', body: 'the quick brown fox jumps over the lazy dog' },
  { path: 'Reversed', title: 'Reversed', body: 'a fox, brown and quick' },
  { path: 'Farm', title: 'Farm notes', body: 'The wikifarm hosts many wikis.' },
  { path: 'Japanese', title: 'Japanese', body: '日本語 の ページ' },
  ...Array.from({ length: 25 }, (_, i) => ({ path: `Filler_${String(i + 1).padStart(2, '0')}`, title: `Filler ${i + 1}`, body: `pagination filler text number ${i + 1}` })),
];
const B_PAGES: SeedPage[] = [
  { path: 'Shared', title: 'Shared in B', body: 'apple banana cherry durian' },
  { path: 'Secret', title: 'Secret', body: `xylophone running quartz, and the id ${A} written out` },
];
const A2_PAGES: SeedPage[] = [{ path: 'Neighbour', title: 'Neighbour', body: 'kumquat running' }];
const A_PATHS = new Set(A_PAGES.map((p) => p.path));

let s: TestSqld;
before(async () => {
  s = await startTestSqld();
  for (const id of [A, B, A2]) await seedWiki(s.db, id);
  await seedPages(s.db, A, A_PAGES);
  await seedPages(s.db, B, B_PAGES);
  await seedPages(s.db, A2, A2_PAGES);
});
after(() => s.stop());

function search(query: string, options?: { limit?: number; offset?: number; head?: string }, wiki = A): Promise<SearchResults> {
  return searchPages(searchSource(s.db), wiki, query, options);
}
function paths(r: SearchResults): string[] {
  return r.results.map((h) => h.path);
}
function isInvalid(e: unknown): boolean {
  return e instanceof AppError && e.code === 'invalid';
}

describe('isolation', () => {
  it('never returns another wiki\'s pages', async () => {
    assert.deepEqual(await search('xylophone'), { results: [], total: 0 });
    assert.deepEqual(paths(await search('xylophone', {}, B)), ['Secret']);
    const apple = await search('apple');
    assert.deepEqual(apple.results.map((h) => h.title), ['Shared in A']);
    assert.equal(apple.total, 1);
    assert.deepEqual((await search('durian')).total, 0);
  });
  it('does not let body text that spells a wiki id match the wiki column', async () => {
    // B's body contains A's id; the id phrase only counts in the `wiki` column.
    assert.deepEqual(paths(await search('quartz')), []);
    assert.deepEqual(paths(await search('alphaalphaalpha')), []);
  });
  it('is exact even when one id\'s tokens contain another\'s as a phrase', async () => {
    assert.deepEqual(await search('kumquat'), { results: [], total: 0 });
    assert.deepEqual(paths(await search('kumquat', {}, A2)), ['Neighbour']);
    assert.ok(paths(await search('running', {}, A2)).every((p) => p === 'Neighbour'));
  });
  it('confines the wiki inside the MATCH expression', async () => {
    const rows = await s.db.all<{ wiki: string }>(sql`select p.wiki_id as wiki from pages_fts f join pages p on p.id = f.rowid where pages_fts match ${buildMatchQuery(A, 'running')}`);
    assert.ok(rows.length > 0);
    // A2's id holds A's, but each is one token, and each wiki has its own words.
    assert.ok(rows.every((r) => r.wiki === A));
  });
  it('counts a word\'s rows within its wiki only, so ranking reads and weighs only that wiki', async () => {
    await s.db.run(sql`create virtual table if not exists pages_fts_words using fts5vocab(pages_fts, 'row')`);
    const rows = async (term: string) => (await s.db.all<{ doc: number }>(sql`select doc from pages_fts_words where term = ${term}`))[0]?.doc ?? 0;
    // Porter stems "running" and "run" to "run": 3 of A's pages hold it, 1 of B's and 1 of A2's.
    assert.equal(await rows(`${wikiWordPrefix(A)}run`), 3);
    assert.equal(await rows(`${wikiWordPrefix(B)}run`), 1);
    assert.equal(await rows(`${wikiWordPrefix(A2)}run`), 1);
    assert.equal(await rows('run'), 0);
  });
});

describe('ranking', () => {
  it('puts title matches above body-only matches, with scores 0..1 best first', async () => {
    const r = await search('running');
    assert.equal(r.results[0]?.path, 'Running');
    assert.deepEqual(new Set(paths(r)), new Set(['Running', 'Marathon', 'Jog']));
    assert.equal(r.results[0]?.score, 1);
    for (const [i, h] of r.results.entries()) {
      assert.ok(h.score >= 0 && h.score <= 1, `score ${h.score} in 0..1`);
      if (i > 0) assert.ok(h.score <= r.results[i - 1]!.score, 'scores do not increase');
    }
    assert.ok(r.results[1]!.score < 1);
  });
  it('scores pages after the first relative to the query\'s best match', async () => {
    const all = await search('filler');
    const second = await search('filler', { limit: 5, offset: 5 });
    assert.deepEqual(second.results.map((h) => h.score), all.results.slice(5, 10).map((h) => h.score));
  });
});

describe('language', () => {
  it('stems with porter: "running" finds "run", "runs" finds "running"', async () => {
    assert.ok(paths(await search('running')).includes('Jog'));
    assert.ok(paths(await search('runs')).includes('Marathon'));
  });
  it('folds case and diacritics', async () => {
    assert.deepEqual(paths(await search('cafe')), ['Cafe']);
    assert.deepEqual(paths(await search('CAFÉ')), ['Cafe']);
    assert.deepEqual(paths(await search('ΚΑΛΗΜΈΡΑ')), ['Greek'], 'Greek case folds');
    // unicode61 strips Latin diacritics only: a Greek word needs its accents.
    assert.deepEqual(paths(await search('καλημερα')), []);
  });
  it('finds words in any script', async () => {
    assert.deepEqual(paths(await search('日本語')), ['Japanese']);
  });
  it('ANDs terms', async () => {
    assert.deepEqual(paths(await search('apple cherry')), ['Shared']);
    assert.deepEqual(paths(await search('apple running')), []);
  });
});

describe('phrases and prefixes', () => {
  it('matches a quoted phrase only in order', async () => {
    assert.deepEqual(paths(await search('"quick brown"')), ['Quick']);
    assert.deepEqual(new Set(paths(await search('quick brown'))), new Set(['Quick', 'Reversed']));
    assert.deepEqual(paths(await search('"brown quick"')), []);
    assert.deepEqual(paths(await search('"quick brown')), ['Quick'], 'an unclosed quote runs to the end');
  });
  it('matches a trailing * as a prefix of a word or of a phrase\'s last word', async () => {
    assert.deepEqual(paths(await search('zebra*')), ['Unsafe']);
    assert.deepEqual(paths(await search('wikif*')), ['Farm']);
    assert.deepEqual(paths(await search('"brown fo"*')), ['Quick']);
    assert.deepEqual(paths(await search('zebra')), [], 'no * → whole words only');
  });
  it('refuses a one-letter prefix', async () => {
    await assert.rejects(search('z*'), isInvalid);
  });
});

describe('snippets', () => {
  it('marks matches with the private-use markers', async () => {
    const [hit] = (await search('zebrafish')).results;
    assert.ok(hit?.snippet.includes(`${SNIPPET_OPEN}zebrafish${SNIPPET_CLOSE}`), hit?.snippet);
  });
  it('escape page HTML and turn markers into <mark>', async () => {
    const [hit] = (await search('zebrafish')).results;
    const html = snippetToHtml(hit!.snippet);
    assert.ok(html.includes('<mark>zebrafish</mark>'), html);
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends'), html);
    assert.ok(!html.includes('<script>'));
    const text = snippetToText(hit!.snippet);
    assert.ok(text.includes('<script>alert("x")</script>'));
    assert.ok(!text.includes(SNIPPET_OPEN) && !text.includes(SNIPPET_CLOSE));
  });
  it('highlight stems and folded words as the page wrote them', async () => {
    const [hit] = (await search('cafe')).results;
    assert.equal(snippetToHtml(hit!.snippet), 'We met at the <mark>café</mark> near the station.');
  });
  it('show the start of the body when only the title matched', async () => {
    const hit = (await search('running')).results.find((h) => h.path === 'Running');
    assert.equal(hit?.snippet, A_PAGES[0]!.body);
  });
  it('mark matches in a 1 MB page too, in time linear in the page', async () => {
    // FTS5's snippet() grows with the square of a word's occurrences: this page took minutes of sqld's time per search.
    const wiki = 'wk_largelargelarge';
    await seedWiki(s.db, wiki);
    const flood = `Opening line of a long page. ${'quokka '.repeat(150_000)}`;
    await seedPages(s.db, wiki, [
      { path: 'Flood', title: 'Flood', body: flood },
      { path: 'Small', title: 'Small', body: 'One quokka on a small page.' },
    ]);
    const started = performance.now();
    const r = await search('quokka', {}, wiki);
    const ms = performance.now() - started;
    assert.ok(ms < 2000, `searched in ${Math.round(ms)} ms`);
    const large = r.results.find((h) => h.path === 'Flood')!;
    const marked = `${SNIPPET_OPEN}quokka${SNIPPET_CLOSE}`;
    // The first match, among the words around it.
    assert.equal(large.snippet, `Opening line of a long page. ${Array(SNIPPET_WORDS - 6).fill(marked).join(' ')}${SNIPPET_ELLIPSIS}`);
    assert.equal(r.results.find((h) => h.path === 'Small')!.snippet, `One ${marked} on a small page.`);
  });
  it('show the opening words when the only match lies past the part of a page looked through', async () => {
    const wiki = 'wk_farfarfarfarfar';
    await seedWiki(s.db, wiki);
    await seedPages(s.db, wiki, [{ path: 'Far', title: 'Far', body: `Opening words. ${'filler '.repeat(SNIPPET_SCAN_CHARS / 7 + 10)}wombat` }]);
    const [hit] = (await search('wombat', {}, wiki)).results;
    assert.equal(hit!.snippet, `Opening words. ${Array(SNIPPET_WORDS - 2).fill('filler').join(' ')}${SNIPPET_ELLIPSIS}`);
  });
  it('never highlight the wiki id', async () => {
    const [hit] = (await search('xylophone', {}, B)).results;
    assert.equal(snippetToText(hit!.snippet), B_PAGES[1]!.body);
    assert.equal(hit!.snippet.split(SNIPPET_OPEN).length, 2, 'one highlight: the word searched for');
  });
});

describe('hostile queries', () => {
  const HOSTILE = [
    '"', '""', '"""', '*', '**', 'NEAR(', 'NEAR(running apple)', 'NEAR(running, 2)', 'wiki:x', `wiki : "${B}"`, `wiki:${B} xylophone`,
    'title:', 'title:running', 'body:apple', '{wiki}:wk', '{title body}:apple', '-wiki:x', ')(', '(', ')', 'AND OR NOT', 'running OR xylophone',
    'running NOT apple', 'AND', 'OR', 'NOT', 'apple AND', '^running', 'running^', '+running', '-running', 'run*ning', 'running*ning*',
    "'", "'; drop table pages; --", '\\', '\\"', '%_', '\u0000', 'a\u0000b', 'running\u0000', '\uD800', '\uDFFFrunning', '\u200B', '\uE000', '\uE001running',
    '🎉', 'café 日本語 🎉 Ωμέγα', 'x'.repeat(10_000), 'running '.repeat(40), '"a" "b" '.repeat(20), '\t\n', '   ',
  ];
  for (const q of HOSTILE) {
    it(`handle ${JSON.stringify(q.length > 40 ? `${q.slice(0, 20)}… (${q.length} chars)` : q)}`, async () => {
      let r: SearchResults;
      try {
        r = await search(q);
      } catch (e) {
        assert.ok(isInvalid(e), `an AppError invalid, not ${String(e)}`);
        assert.ok((e as AppError).message.length > 0);
        return;
      }
      assert.ok(r.results.every((h) => A_PATHS.has(h.path)), 'only wiki A');
      assert.ok(r.total <= A_PAGES.length);
    });
  }
  it('do not widen the query: operators are words, ANDed', async () => {
    assert.equal((await search('running OR xylophone')).total, 0);
    assert.equal((await search('NEAR(running apple)')).total, 0);
    assert.equal((await search(`wiki:${B} xylophone`)).total, 0);
    assert.equal((await search('{title body}:apple')).total, 0, '"title body apple" is not all in one page');
    assert.deepEqual(paths(await search('title:running')), [], 'title running is not a phrase in wiki A');
    assert.deepEqual(paths(await search('^running')), paths(await search('running')));
  });
  it('refuse empty, over-long and over-many queries with a clear message', async () => {
    await assert.rejects(search(''), { name: 'AppError', code: 'invalid', message: /empty/ });
    await assert.rejects(search(' \t\n'), { code: 'invalid', message: /empty/ });
    await assert.rejects(search('x'.repeat(10_000)), { code: 'invalid', message: /at most 500 characters/ });
    await assert.rejects(search('running '.repeat(40)), { code: 'invalid', message: /at most 32/ });
    await assert.rejects(search(')( * "'), { code: 'invalid', message: /at least one word/ });
  });
});

describe('pagination', () => {
  it('pages through every match once, with the total', async () => {
    const seen: string[] = [];
    for (const offset of [0, 10, 20]) {
      const r = await search('filler', { limit: 10, offset });
      assert.equal(r.total, 25);
      assert.equal(r.results.length, offset === 20 ? 5 : 10);
      seen.push(...paths(r));
    }
    assert.equal(new Set(seen).size, 25);
    assert.deepEqual(await search('filler', { limit: 10, offset: 30 }), { results: [], total: 25 });
  });
  it('defaults to 20 results', async () => {
    const r = await search('filler');
    assert.equal(r.results.length, 20);
    assert.equal(r.total, 25);
  });
  it('gives the same totals and scores when they are remembered for a head', async () => {
    const head = `head-${Math.random()}`;
    for (const offset of [5, 0, 5, 10, 30, 999]) {
      const plain = await search('filler', { limit: 5, offset });
      assert.deepEqual(await search('filler', { limit: 5, offset, head }), plain, `offset ${offset}`);
    }
  });
  it('remembers totals per head: a page after a write counts afresh', async () => {
    const head = `head-${Math.random()}`;
    assert.equal((await search('grapefruit', { head })).total, 0);
    await seedPages(s.db, A, [{ path: 'Citrus', title: 'Citrus', body: 'grapefruit and lime' }]);
    assert.equal((await search('grapefruit', { offset: 5, head })).total, 0, 'the same head: remembered');
    const moved = await search('grapefruit', { offset: 5, head: `${head}-next` });
    assert.equal(moved.total, 1);
    assert.equal((await search('grapefruit', { head: `${head}-next` })).results[0]?.score, 1);
  });
  it('refuses bad limits and offsets', async () => {
    for (const options of [{ limit: 0 }, { limit: 101 }, { limit: 1.5 }, { limit: Number.NaN }, { offset: -1 }, { offset: 10_001 }, { offset: 0.5 }]) {
      await assert.rejects(search('filler', options), isInvalid, JSON.stringify(options));
    }
  });
});

describe('query plan', () => {
  it('lets FTS5 order by rank (no temporary sort: the best rows come first)', async () => {
    const plan = await s.db.all<{ detail: string }>(sql`explain query plan ${searchHitsSql(A, buildMatchQuery(A, 'running'), 10, 0)}`);
    const text = plan.map((p) => p.detail).join('\n');
    assert.match(text, /SCAN pages_fts VIRTUAL TABLE/);
    assert.match(text, /SEARCH pages USING INTEGER PRIMARY KEY/);
    assert.doesNotMatch(text, /TEMP B-TREE/);
  });
});
