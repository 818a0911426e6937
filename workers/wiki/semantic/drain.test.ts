/**
 * The queue, the drainer and search against a real sqld and the suite's
 * embedding server: pages written through the index statements, chunks and
 * vectors made, kept current, isolated per wiki, resilient to a provider
 * outage, a drainer's death and a change of model.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { wikis } from '../../../db/schema.ts';
import { startEmbeddingServer, type EmbeddingServer } from '../../../test/helpers/embedding-server.ts';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { eq } from 'drizzle-orm';
import { drainQueue, ProviderBreaker } from './drain.ts';
import { openAiCompatible, type EmbeddingProvider } from './embeddings.ts';
import { chunkRows, commitPages, queueRows, seedWiki, words } from './semantic-kit.test.ts';
import { semanticSearch } from './search.ts';
import { claimQueue, indexStatus, readIndex, startReindex, sweepVectorTables } from './store.ts';

let s: TestSqld;
let server: EmbeddingServer;
let wikiNo = 0;
let wiki: string;

const providers = new Map<string, EmbeddingProvider>();
/** One provider per model for the whole file (so the dimension is probed once). */
const provider = (model = 'hash-256'): EmbeddingProvider => {
  if (!providers.has(model)) providers.set(model, openAiCompatible({ url: server.url, model, fetch: (r) => fetch(r), retries: 0 }));
  return providers.get(model)!;
};
/** Drains this test's wiki only (other tests' wikis stay as they left them). */
const drain = (p: EmbeddingProvider = provider(), o: Parameters<typeof drainQueue>[2] = {}) => drainQueue(s.db, p, { wikiId: wiki, ...o });

before(async () => {
  [s, server] = await Promise.all([startTestSqld(), startEmbeddingServer()]);
});
after(async () => {
  await Promise.all([s.stop(), server.stop()]);
});
beforeEach(async () => {
  server.down = false;
  wiki = `wk_sem${++wikiNo}`;
  await seedWiki(s.db, wiki);
});

async function vectorCount(wikiId: string): Promise<number> {
  const index = await readIndex(s.db, wikiId);
  const [row] = await s.db.all<{ n: number }>(sql.raw(`select count(*) as n from "${index!.vectorTable}"`));
  return Number(row!.n);
}

const guide = (install: string) => `# Guide\n\nHow this wiki works.\n\n## Setup\n\n${words('setup', 60)}\n\n## Install\n\n${install}\n`;

describe('the freshness queue', () => {
  it('is filled by the index statements of every write, one row per page, bumped on rewrite', async () => {
    await commitPages(s.db, wiki, { Home: '# Home\n\nHello.', Other: 'Other page.' });
    assert.deepEqual((await queueRows(s.db, wiki)).map((r) => [r.path, r.gen]), [['Home', 1], ['Other', 1]]);
    await commitPages(s.db, wiki, { Home: '# Home\n\nHello again.' });
    await commitPages(s.db, wiki, { Other: null });
    assert.deepEqual((await queueRows(s.db, wiki)).map((r) => [r.path, r.gen]), [['Home', 2], ['Other', 2]]);
  });
});

describe('drainQueue', () => {
  it('chunks and embeds queued pages at their revision, and empties the queue', async () => {
    const rev = await commitPages(s.db, wiki, { Guide: guide(words('install', 70)), Note: 'A short note about cars.' });
    const stats = await drain();
    assert.equal(stats.error, undefined);
    assert.equal(stats.pages, 2);
    const chunks = await chunkRows(s.db, wiki);
    assert.deepEqual(
      chunks.map((c) => [c.page, c.chunk_index, c.chunk_count, c.section, c.prefix, c.revision]),
      [
        ['Guide', 0, 2, 'Guide > Setup', 'Guide > Setup', rev],
        ['Guide', 1, 2, 'Guide > Install', 'Guide > Install', rev],
        ['Note', 0, 1, '', 'Note', rev],
      ],
    );
    assert.ok(chunks[0]!.text.startsWith('# Guide\n\nHow this wiki works.\n\n'), 'the stub H1 is merged into the next section');
    assert.equal(await vectorCount(wiki), 3);
    assert.deepEqual(await queueRows(s.db, wiki), []);
    const index = await readIndex(s.db, wiki);
    assert.deepEqual([index!.provider, index!.model, index!.dimensions], ['openai', 'hash-256', 256]);
  });

  it('re-embeds only the chunks whose text changed, and forgets deleted pages', async () => {
    await commitPages(s.db, wiki, { Guide: guide(words('install', 70)) });
    await drain();
    const before = await chunkRows(s.db, wiki, 'Guide');
    const logged = server.log.length;
    const rev = await commitPages(s.db, wiki, { Guide: guide(words('changed', 70)) });
    const stats = await drain();
    assert.deepEqual([stats.chunksAdded, stats.chunksKept, stats.chunksRemoved], [1, 1, 1]);
    assert.deepEqual(server.log.slice(logged), [`[Guide > Install] ${words('changed', 70)}`]);
    const after = await chunkRows(s.db, wiki, 'Guide');
    assert.equal(after[0]!.id, before[0]!.id, 'the unchanged chunk keeps its row and vector');
    assert.deepEqual(after.map((c) => c.revision), [rev, rev]);
    assert.equal(await vectorCount(wiki), 2);

    await commitPages(s.db, wiki, { Guide: null });
    await drain();
    assert.deepEqual(await chunkRows(s.db, wiki), []);
    assert.equal(await vectorCount(wiki), 0);
    assert.deepEqual(await queueRows(s.db, wiki), []);
  });

  it('leaves the queue alone while the provider is down, and catches up once it is back', async () => {
    await commitPages(s.db, wiki, { A: 'Alpha text.', B: 'Beta text.' });
    server.down = true;
    const failed = await drain();
    assert.match(failed.error ?? '', /503/);
    assert.equal((await queueRows(s.db, wiki)).length, 2);
    server.down = false;
    const ok = await drain();
    assert.equal(ok.error, undefined);
    assert.equal((await chunkRows(s.db, wiki)).length, 2);
    assert.deepEqual(await queueRows(s.db, wiki), []);
  });

  it('drops its work on a page written meanwhile; the newer text is done next', async () => {
    await commitPages(s.db, wiki, { P: 'First version.' });
    const base = provider();
    let wrote = false;
    const racing: EmbeddingProvider = {
      ...base,
      dimensions: () => base.dimensions(),
      async embed(texts, o) {
        if (!wrote) {
          wrote = true;
          await commitPages(s.db, wiki, { P: 'Second version.' });
        }
        return base.embed(texts, o);
      },
    };
    await drain(racing, { budgetMs: 0 }); // one claim, then stop
    assert.deepEqual(await chunkRows(s.db, wiki), [], 'nothing stored from the stale text');
    assert.equal((await queueRows(s.db, wiki)).length, 1, 'the page is still queued');
    await drain(base);
    assert.deepEqual((await chunkRows(s.db, wiki)).map((c) => c.text), ['Second version.']);
  });

  it('takes over rows whose drainer died once their lease lapses', async () => {
    await commitPages(s.db, wiki, { A: 'Alpha.' });
    await drain(); // makes the index
    await commitPages(s.db, wiki, { A: 'Alpha two.', B: 'Beta.' });
    const claimed = await claimQueue(s.db, { now: Date.now(), limit: 10, leaseMs: 60_000, wikiId: wiki });
    assert.equal(claimed.length, 2);
    const early = await drain(provider(), { wikiId: wiki });
    assert.equal(early.pages, 0, 'leased rows are not taken');
    const later = await drain(provider(), { wikiId: wiki, now: () => Date.now() + 61_000 });
    assert.equal(later.pages, 2);
    assert.deepEqual(await queueRows(s.db, wiki), []);
  });

  it('rebuilds the whole wiki when the model or dimension changes', async () => {
    await commitPages(s.db, wiki, { A: 'Alpha.', B: 'Beta.' });
    await drain(provider('hash-256'));
    const old = await readIndex(s.db, wiki);
    const stats = await drain(provider('hash-32'));
    assert.equal(stats.chunksAdded, 2);
    const index = await readIndex(s.db, wiki);
    assert.deepEqual([index!.model, index!.dimensions], ['hash-32', 32]);
    assert.notEqual(index!.vectorTable, old!.vectorTable);
    assert.ok(index!.reindexFinishedAt! >= index!.reindexStartedAt!);
    const tables = await s.db.all<{ name: string }>(sql`select name from sqlite_master where name = ${old!.vectorTable}`);
    assert.deepEqual(tables, [], 'the old vector table is gone');
    assert.equal(await vectorCount(wiki), 2);
  });

  it('re-embeds everything on a requested reindex, with progress', async () => {
    await commitPages(s.db, wiki, { A: 'Alpha.', B: 'Beta.', C: 'Gamma.' });
    await drain();
    await startReindex(s.db, wiki);
    let status = await indexStatus(s.db, wiki);
    assert.deepEqual([status.index!.reindexTotal, status.queued, status.index!.reindexFinishedAt], [3, 3, null]);
    await drain(provider(), { batchPages: 2, budgetMs: 0 });
    status = await indexStatus(s.db, wiki);
    assert.equal(status.queued, 1);
    const stats = await drain();
    assert.equal(stats.chunksAdded, 1);
    status = await indexStatus(s.db, wiki);
    assert.equal(status.queued, 0);
    assert.ok(status.index!.reindexFinishedAt);
    assert.equal(status.chunks, 3);
  });

  it('holds back a page the provider refuses, and does the others', async () => {
    await commitPages(s.db, wiki, { Good: 'Fine text.', Bad: 'POISON text.' });
    const base = provider();
    const picky: EmbeddingProvider = {
      ...base,
      dimensions: () => base.dimensions(),
      async embed(texts, o) {
        if (texts.some((t) => t.includes('POISON'))) {
          const { ProviderError } = await import('./embeddings.ts');
          throw new ProviderError('the provider answered 400: bad input', false, 400);
        }
        return base.embed(texts, o);
      },
    };
    const stats = await drain(picky);
    assert.equal(stats.error, undefined);
    assert.deepEqual((await chunkRows(s.db, wiki)).map((c) => c.page), ['Good']);
    const [row] = await queueRows(s.db, wiki);
    assert.deepEqual([row!.path, row!.attempts], ['Bad', 1]);
    assert.match(row!.last_error!, /refused/);
    assert.equal((await indexStatus(s.db, wiki)).failing, 1);
  });

  it('forgets a deleted wiki: its queue rows, chunks and vector table', async () => {
    await commitPages(s.db, wiki, { A: 'Alpha.' });
    await drain();
    const index = await readIndex(s.db, wiki);
    await commitPages(s.db, wiki, { A: 'Alpha two.' });
    await s.db.delete(wikis).where(eq(wikis.id, wiki));
    await drainQueue(s.db, provider());
    assert.deepEqual(await queueRows(s.db, wiki), []);
    assert.deepEqual(await chunkRows(s.db, wiki), []);
    assert.ok((await sweepVectorTables(s.db)).includes(index!.vectorTable));
  });
});

describe('ProviderBreaker', () => {
  it('waits 1 s after a failure, doubling to its limit, and closes on success', () => {
    const b = new ProviderBreaker(4000);
    assert.equal(b.open(0), false);
    b.failed(0);
    assert.equal(b.open(999), true);
    assert.equal(b.open(1000), false);
    b.failed(1000);
    b.failed(1000);
    b.failed(1000);
    assert.equal(b.open(4999), true);
    assert.equal(b.open(5000), false);
    b.succeeded();
    assert.equal(b.open(0), false);
  });
});

describe('semanticSearch', () => {
  it('finds chunks by meaning and by words, whole, with page, heading path, revision and score', async () => {
    const rev = await commitPages(s.db, wiki, {
      Garage: `# Garage\n\n## Repairs\n\nThe car needs new brakes and the engine oil is old.\n\n## Tools\n\nWrenches, a jack, screwdrivers.`,
      Pets: '# Pets\n\nThe cat sleeps all day; the dog wants a walk.',
      Films: '# Films\n\nA list of movies to watch on Friday.',
    });
    await drain();
    const r = await semanticSearch(s.db, provider(), wiki, 'automobile brakes', { n: 5 });
    assert.ok(r);
    assert.equal(r.pending, 0);
    const top = r.results[0]!;
    assert.deepEqual([top.path, top.title, top.section, top.revision, top.chunkIndex, top.chunkCount], ['Garage', 'Garage', 'Garage > Repairs', rev, 0, 1]);
    assert.equal(top.text, 'The car needs new brakes and the engine oil is old.\n\n## Tools\n\nWrenches, a jack, screwdrivers.');
    assert.deepEqual(top.matched, ['meaning', 'words']);
    assert.ok(top.similarity! > 0.3 && top.score === 1, JSON.stringify(top));
    // "automobile" is only a synonym of "car" to the embedder: found by meaning alone.
    const meaning = await semanticSearch(s.db, provider(), wiki, 'automobile', { minSimilarity: 0.2 });
    assert.deepEqual(meaning!.results.map((h) => [h.path, h.matched]), [['Garage', ['meaning']]]);
    // Unrelated queries find nothing above the threshold.
    assert.deepEqual((await semanticSearch(s.db, provider(), wiki, 'quantum chromodynamics'))!.results, []);
  });

  it('caps chunks per page and the number of results', async () => {
    const sections = Array.from({ length: 5 }, (_, i) => `## Part ${i}\n\nThe cat and the kitten, part ${i}, ${words(`p${i}x`, 50)}.`).join('\n\n');
    await commitPages(s.db, wiki, { Cats: sections, Dogs: '# Dogs\n\nA cat chased by a dog.', More: 'Cats everywhere: a cat.' });
    await drain();
    const r = (await semanticSearch(s.db, provider(), wiki, 'cat', { n: 10, maxChunksPerPage: 2, minSimilarity: 0 }))!;
    const perPage = new Map<string, number>();
    for (const h of r.results) perPage.set(h.path, (perPage.get(h.path) ?? 0) + 1);
    assert.equal(perPage.get('Cats'), 2);
    assert.equal(r.results.length, 4);
    assert.equal((await semanticSearch(s.db, provider(), wiki, 'cat', { n: 1 }))!.results.length, 1);
  });

  it('keeps wikis apart', async () => {
    const other = `${wiki}_other`;
    await seedWiki(s.db, other);
    await commitPages(s.db, wiki, { Mine: 'The secret recipe uses saffron.' });
    await commitPages(s.db, other, { Theirs: 'Their saffron is from Iran.' });
    await drain();
    await drain(provider(), { wikiId: other });
    const mine = await semanticSearch(s.db, provider(), wiki, 'saffron', { minSimilarity: 0 });
    assert.deepEqual(mine!.results.map((h) => h.path), ['Mine']);
    const theirs = await semanticSearch(s.db, provider(), other, 'saffron', { minSimilarity: 0 });
    assert.deepEqual(theirs!.results.map((h) => h.path), ['Theirs']);
    assert.notEqual((await readIndex(s.db, wiki))!.vectorTable, (await readIndex(s.db, other))!.vectorTable);
  });

  it('answers null while the wiki has no index for the model, and never shows a deleted page', async () => {
    await commitPages(s.db, wiki, { A: 'Saffron rice.' });
    assert.equal(await semanticSearch(s.db, provider(), wiki, 'saffron'), null);
    await drain();
    assert.equal(await semanticSearch(s.db, provider('hash-32'), wiki, 'saffron'), null);
    await commitPages(s.db, wiki, { A: null });
    const r = await semanticSearch(s.db, provider(), wiki, 'saffron', { minSimilarity: 0 });
    assert.deepEqual([r!.results, r!.pending], [[], 1]);
  });
});
