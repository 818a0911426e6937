/**
 * The drainer: takes pages from the freshness queue (a claim of a few pages),
 * chunks them, embeds the chunks whose text is new in one provider call, and
 * replaces each page's stored chunks atomically (a few pages per batch, so the
 * store's write lock is never held long). Durable by construction: the queue
 * lives in sqld, rows are leased (a drainer that dies lets its lease lapse),
 * and a row is deleted only in the batch that stores its page's chunks, and
 * only if no write came since (its `gen`). A provider that is down leaves the
 * rows where they are.
 *
 * Runtime-neutral: the caller gives the store and the provider.
 */
import { runBatch, type Db, type Statement } from '../../lib/db.ts';
import { chunkPage, embeddingText } from './chunking.ts';
import { ProviderError, type EmbeddingProvider } from './embeddings.ts';
import {
  claimQueue,
  ensureIndex,
  finishReindexStatement,
  forgetPageStatements,
  readSources,
  releaseStatement,
  type IndexRow,
  type ModelId,
  type NewChunk,
  type PagePlan,
  type PageSource,
  planStatements,
  type QueueItem,
} from './store.ts';
import { sql } from 'drizzle-orm';

export interface DrainOptions {
  /** Only this wiki's rows (after a write to it); default: every wiki, oldest first. */
  wikiId?: string;
  /** Stop claiming more after this long (ms); default 20 s. */
  budgetMs?: number;
  /** Pages per claim; default 16. */
  batchPages?: number;
  /** How long a claim is held without a heartbeat; default 20 s (a heartbeat renews it while the provider works). */
  leaseMs?: number;
  now?: () => number;
  /** Look for wikis whose index is missing or was made by another model (default true; a cheap query). */
  checkModels?: boolean;
}

export interface DrainStats {
  /** Queue rows finished (pages chunked, or forgotten when deleted). */
  pages: number;
  chunksAdded: number;
  chunksKept: number;
  chunksRemoved: number;
  /** Wall time of this drain, and the part spent waiting for the provider. */
  ms: number;
  providerMs: number;
  /** Stopped for the time budget with work possibly left. */
  more: boolean;
  /** Why it stopped early (the provider or the store failing). */
  error?: string;
}

/** Chunks written (or removed) per batch: a batch holds the write lock for roughly 1–2 ms per chunk, so 64 keep it under ~150 ms. */
const WRITE_BATCH_CHUNKS = 64;

/** Backoff for a page the provider refused (not for outages): 5 s doubling to an hour. */
export function pageBackoffMs(attempts: number): number {
  return Math.min(3_600_000, 5_000 * 2 ** Math.max(0, attempts));
}

/**
 * Remembers a provider outage in this isolate so that drains do not hammer
 * it: retry after 1 s, doubling to `maxMs`. A cache only: forgetting it (a
 * restart) costs one failed call.
 */
export class ProviderBreaker {
  #retryAt = 0;
  #delay = 0;
  readonly #maxMs: number;
  constructor(maxMs = 10_000) {
    this.#maxMs = maxMs;
  }
  open(now: number): boolean {
    return now < this.#retryAt;
  }
  failed(now: number): void {
    this.#delay = Math.min(this.#maxMs, this.#delay ? this.#delay * 2 : 1000);
    this.#retryAt = now + this.#delay;
  }
  succeeded(): void {
    this.#delay = 0;
    this.#retryAt = 0;
  }
}

interface Work {
  item: QueueItem;
  index: IndexRow;
  revision: string;
  keep: PagePlan['keep'];
  add: NewChunk[];
  remove: number[];
}

/**
 * How a page's new chunks map onto its stored ones: a chunk with the same
 * embedded text keeps its row and vector, unless the queue row forces a
 * re-embed (a requested reindex: then every chunk is removed and added anew,
 * which measured faster than updating vectors in the DiskANN index in place).
 */
export function planPage(item: QueueItem, index: IndexRow, source: PageSource): Work | null {
  const page = source.page;
  if (!page) return null;
  const chunks = chunkPage({ key: item.path, title: page.title, body: page.body });
  const pool = new Map<string, number[]>();
  if (!item.force) {
    for (const s of source.stored) {
      const key = embeddingText(s);
      pool.set(key, [...(pool.get(key) ?? []), s.id]);
    }
  }
  const keep: Work['keep'] = [];
  const add: NewChunk[] = [];
  for (const c of chunks) {
    const chunk: NewChunk = { chunkIndex: c.index, chunkCount: c.count, section: c.section, prefix: c.prefix, text: c.text };
    const id = pool.get(embeddingText(c))?.shift();
    if (id !== undefined) keep.push({ id, chunk });
    else add.push(chunk);
  }
  const kept = new Set(keep.map((k) => k.id));
  return { item, index, revision: page.revision, keep, add, remove: source.stored.map((s) => s.id).filter((id) => !kept.has(id)) };
}

/** Wikis with pages whose index is missing or does not match `model` (at most 50 at a time). */
async function staleIndexes(db: Db, model: ModelId, wikiId?: string): Promise<string[]> {
  const rows = await db.all<{ id: string }>(sql`select w.id as id from wikis w
    where ${wikiId ? sql`w.id = ${wikiId} and ` : sql``}exists (select 1 from pages p where p.wiki_id = w.id)
      and not exists (select 1 from semantic_indexes i where i.wiki_id = w.id and i.provider = ${model.provider} and i.model = ${model.model} and i.dimensions = ${model.dimensions})
    limit 50`);
  return rows.map((r) => r.id);
}

async function existingWikis(db: Db, ids: string[]): Promise<Set<string>> {
  const rows = await db.all<{ id: string }>(sql`select id from wikis where id in (select value from json_each(${JSON.stringify(ids)}))`);
  return new Set(rows.map((r) => r.id));
}

/** Keeps a claim's lease alive while `fn` runs. */
async function withHeartbeat<T>(db: Db, items: readonly QueueItem[], leaseMs: number, now: () => number, fn: () => Promise<T>): Promise<T> {
  const keys = JSON.stringify(items.map((i) => [i.wikiId, i.path, i.gen]));
  const timer = setInterval(() => {
    void db
      .run(sql`update semantic_queue set lease_until = ${now() + leaseMs} where lease_until > 0 and (wiki_id, path, gen) in (select value ->> 0, value ->> 1, value ->> 2 from json_each(${keys}))`)
      .catch(() => {});
  }, Math.max(1000, Math.floor(leaseMs / 4)));
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Drains the queue until it is empty (of due rows), the budget is spent, or
 * the provider or store fails. Safe to run in several places at once.
 */
export async function drainQueue(db: Db, provider: EmbeddingProvider, options: DrainOptions = {}): Promise<DrainStats> {
  const now = options.now ?? Date.now;
  const budgetMs = options.budgetMs ?? 20_000;
  const leaseMs = options.leaseMs ?? 20_000;
  const batchPages = options.batchPages ?? 16;
  const started = performance.now();
  const stats: DrainStats = { pages: 0, chunksAdded: 0, chunksKept: 0, chunksRemoved: 0, ms: 0, providerMs: 0, more: false };
  const done = () => ({ ...stats, ms: performance.now() - started });

  let model: ModelId;
  try {
    model = { provider: provider.kind, model: provider.model, dimensions: await provider.dimensions() };
  } catch (err) {
    return { ...done(), error: message(err) };
  }

  try {
    // Wikis whose index another model made, or that have pages but no index yet (indexed before
    // meaning-based search was turned on): made (again), which queues every page.
    if (options.checkModels !== false) for (const id of await staleIndexes(db, model, options.wikiId)) await ensureIndex(db, id, model, now());
  } catch (err) {
    return { ...done(), error: message(err) };
  }

  for (;;) {
    const items = await claimQueue(db, { now: now(), limit: batchPages, leaseMs, ...(options.wikiId ? { wikiId: options.wikiId } : {}) });
    if (!items.length) break;
    try {
      const outcome = await processClaim(db, provider, model, items, leaseMs, now, stats);
      if (outcome === 'provider-down') return { ...done(), error: stats.error ?? 'the provider is unavailable' };
    } catch (err) {
      // The store failed (or something unexpected): give the rows back for a later drain.
      await runBatch(db, [releaseStatement(db, items, now() + 1000, message(err))]).catch(() => {});
      return { ...done(), error: message(err) };
    }
    if (performance.now() - started > budgetMs) {
      stats.more = true;
      break;
    }
  }
  return done();
}

async function processClaim(db: Db, provider: EmbeddingProvider, model: ModelId, claimed: QueueItem[], leaseMs: number, now: () => number, stats: DrainStats): Promise<'ok' | 'provider-down'> {
  let items = claimed;
  const wikiIds = [...new Set(items.map((i) => i.wikiId))];
  const live = await existingWikis(db, wikiIds);
  const indexes = new Map<string, IndexRow>();
  const remade = new Set<string>();
  for (const id of live) {
    const index = await ensureIndex(db, id, model);
    indexes.set(id, index);
    if (index.fresh) remade.add(id);
  }
  // A wiki whose index was just made (again) has every page queued anew: its rows of this claim are stale.
  if (remade.size) items = items.filter((i) => !remade.has(i.wikiId));
  if (!items.length) return 'ok';
  const sources = await readSources(db, items);
  const statements: Statement[] = [];
  const work: Work[] = [];
  for (const source of sources) {
    const item = items.find((i) => i.wikiId === source.wikiId && i.path === source.path)!;
    const index = indexes.get(item.wikiId) ?? null;
    const w = index ? planPage(item, index, source) : null;
    if (!w) {
      statements.push(...forgetPageStatements(db, item, index));
      stats.chunksRemoved += source.stored.length;
      stats.pages++;
    } else {
      work.push(w);
    }
  }

  // Embed every new chunk of the claim together (the provider batches); if the provider refuses the
  // input, page by page, so one bad page does not hold up the others.
  const texts = work.flatMap((w) => w.add.map(embeddingText));
  const vectorsOf = new Map<Work, Float32Array[]>();
  const refused: { w: Work; error: string }[] = [];
  if (texts.length) {
    try {
      const r = await withHeartbeat(db, items, leaseMs, now, () => provider.embed(texts));
      stats.providerMs += r.ms;
      let at = 0;
      for (const w of work) vectorsOf.set(w, r.vectors.slice(at, (at += w.add.length)));
    } catch (err) {
      if (!(err instanceof ProviderError) || err.retryable) {
        stats.error = message(err);
        await runBatch(db, [releaseStatement(db, items, 0)]).catch(() => {});
        return 'provider-down';
      }
      for (const w of work) {
        if (!w.add.length) continue;
        try {
          const r = await withHeartbeat(db, [w.item], leaseMs, now, () => provider.embed(w.add.map(embeddingText)));
          stats.providerMs += r.ms;
          vectorsOf.set(w, r.vectors);
        } catch (e) {
          if (!(e instanceof ProviderError) || e.retryable) {
            stats.error = message(e);
            await runBatch(db, [releaseStatement(db, items, 0)]).catch(() => {});
            return 'provider-down';
          }
          refused.push({ w, error: message(e) });
        }
      }
    }
  }

  // Pages deleted meanwhile, then the pages in small batches of about WRITE_BATCH_CHUNKS chunks: the
  // store's write lock is held for a few pages at a time, so people's writes never wait long behind it.
  await runBatch(db, statements);
  const refusedSet = new Set(refused.map((r) => r.w));
  let pending: Statement[] = [];
  let pendingChunks = 0;
  const flush = async () => {
    await runBatch(db, pending);
    pending = [];
    pendingChunks = 0;
  };
  for (const w of work) {
    if (refusedSet.has(w)) continue;
    const vectors = vectorsOf.get(w) ?? [];
    const plan: PagePlan = {
      item: w.item,
      index: w.index,
      revision: w.revision,
      keep: w.keep,
      remove: w.remove,
      add: w.add.map((chunk, i) => ({ chunk, embedding: vectors[i]! })),
    };
    pending.push(...planStatements(db, plan));
    pendingChunks += w.add.length + w.remove.length;
    stats.chunksAdded += w.add.length;
    stats.chunksKept += w.keep.length;
    stats.chunksRemoved += w.remove.length;
    stats.pages++;
    if (pendingChunks >= WRITE_BATCH_CHUNKS) await flush();
  }
  await flush();
  await runBatch(db, [
    ...refused.map((r) => releaseStatement(db, [r.w.item], now() + pageBackoffMs(r.w.item.attempts), `the provider refused a chunk of this page: ${r.error}`)),
    finishReindexStatement(db, now()),
  ]);
  return 'ok';
}
