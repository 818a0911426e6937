/**
 * The semantic index in sqld: which model made each wiki's index, the wiki's
 * vector table (created here, at run time, with the model's dimension), the
 * freshness queue, and the statements that replace a page's chunks.
 *
 * Layout (db/schema.ts, db/migrations/0006_semantic_search.sql):
 * - `semantic_indexes`: one row per wiki: provider, model, dimension, vector table;
 * - `semantic_chunks`: one row per chunk (page, revision, heading path, text);
 *   its words are in `semantic_chunks_fts` (chunk-words.ts);
 * - `semvec_<hex>`: per wiki, `id` = chunk id, `embedding F32_BLOB(dimensions)`,
 *   with a DiskANN index (`libsql_vector_idx`, cosine) that `vector_top_k` reads;
 * - `semantic_queue`: pages to (re)chunk, filled by triggers on `pages`.
 *
 * Runtime-neutral (drizzle over libSQL): the worker, the admin CLI and tests use it.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { casGuard, semanticChunks, semanticIndexes, semanticQueue } from '../../../db/schema.ts';
import { runBatch, type Db, type Statement } from '../../lib/db.ts';
import { chunkWordsStatement } from './chunk-words.ts';


/** What made an index: a change of any part means every vector must be made again. */
export interface ModelId {
  provider: string;
  model: string;
  dimensions: number;
}

export interface IndexRow extends ModelId {
  wikiId: string;
  vectorTable: string;
  reindexStartedAt: number | null;
  reindexTotal: number;
  reindexFinishedAt: number | null;
}

/**
 * DiskANN settings of each wiki's vector index, measured against sqld 0.24.32
 * with 384 dimensions and 10,000 dense vectors on 2 busy vCPUs. libSQL's
 * defaults (float32 neighbours) inserted ~20 rows/s. With 1-bit neighbour
 * compression, inserts cost mostly `insert_l` (the insert's search beam) and
 * recall mostly `max_neighbors`: 32 neighbours with a beam of 12 inserted
 * ~1,000 rows/s and found ~90% of the top 10 (ties counted) at `search_l` 200
 * in ~6–9 ms, where 32/32 inserted ~730/s for the same recall and 24/24
 * ~980/s for ~73%. Fixed when a wiki's table is made.
 */
export const VECTOR_INDEX_OPTIONS = ["'metric=cosine'", "'compress_neighbors=float1bit'", "'max_neighbors=32'", "'insert_l=12'", "'search_l=200'"];

const TABLE_NAME = /^semvec_[0-9a-f]{16}$/;

function checkedTable(name: string): string {
  if (!TABLE_NAME.test(name)) throw new Error(`not a semantic vector table: ${JSON.stringify(name)}`);
  return name;
}

/** The vector table as an identifier in SQL. */
export function vectorTable(name: string): SQL {
  return sql.raw(`"${checkedTable(name)}"`);
}

/** The name `vector_top_k` takes for a table's index, as a string literal. */
export function vectorIndexLiteral(name: string): SQL {
  return sql.raw(`'${checkedTable(name)}_idx'`);
}

function newTableName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `semvec_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A vector as libSQL's F32_BLOB takes it: little-endian float32s. */
export function vectorBlob(v: Float32Array | readonly number[]): Uint8Array {
  const f = v instanceof Float32Array ? v : Float32Array.from(v);
  return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
}

export function sameModel(a: ModelId, b: ModelId): boolean {
  return a.provider === b.provider && a.model === b.model && a.dimensions === b.dimensions;
}

function toRow(r: typeof semanticIndexes.$inferSelect): IndexRow {
  return {
    wikiId: r.wikiId,
    provider: r.provider,
    model: r.model,
    dimensions: r.dimensions,
    vectorTable: r.vectorTable,
    reindexStartedAt: r.reindexStartedAt,
    reindexTotal: r.reindexTotal,
    reindexFinishedAt: r.reindexFinishedAt,
  };
}

export async function readIndex(db: Db, wikiId: string): Promise<IndexRow | null> {
  const [row] = await db.select().from(semanticIndexes).where(eq(semanticIndexes.wikiId, wikiId));
  return row ? toRow(row) : null;
}

/** Queue rows for every page of the wiki (a reindex): due now, marked to re-embed everything. */
function enqueueWholeWiki(db: Db, wikiId: string, now: number, force: boolean): Statement {
  return db.run(sql`insert into semantic_queue (wiki_id, path, enqueued_at, force)
    select wiki_id, path, ${now}, ${force ? 1 : 0} from pages where wiki_id = ${wikiId}
    on conflict (wiki_id, path) do update set gen = gen + 1, force = max(force, excluded.force), attempts = 0, not_before = 0, lease_until = 0`);
}

function fingerprintSql(wikiId: string): SQL {
  return sql`(select provider || '|' || model || '|' || dimensions || '|' || vector_table from semantic_indexes where wiki_id = ${wikiId})`;
}

function fingerprint(row: IndexRow | null): string | null {
  return row ? `${row.provider}|${row.model}|${row.dimensions}|${row.vectorTable}` : null;
}

/**
 * The wiki's index for `model`: as it is when the model matches, otherwise
 * replaced in one atomic batch (guarded on the row it found, so concurrent
 * callers make one new table): a fresh vector table and index, no chunks, and
 * every page queued. Search keeps serving keyword results meanwhile.
 */
export async function ensureIndex(db: Db, wikiId: string, model: ModelId, now = Date.now()): Promise<IndexRow & { fresh: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const current = await readIndex(db, wikiId);
    if (current && sameModel(current, model)) return { ...current, fresh: false };
    const table = newTableName();
    const guard = db.run(sql`insert into ${casGuard} (ok) select 0 where ${fingerprintSql(wikiId)} is not ${fingerprint(current)}`);
    const values = { provider: model.provider, model: model.model, dimensions: model.dimensions, vectorTable: table, reindexStartedAt: now, reindexFinishedAt: null, reindexTotal: sql`(select count(*) from pages where wiki_id = ${wikiId})` };
    try {
      await db.batch([
        guard,
        ...(current ? [db.run(sql`drop table if exists ${vectorTable(current.vectorTable)}`)] : []),
        db.run(sql`create table ${vectorTable(table)} (id integer primary key, embedding F32_BLOB(${sql.raw(String(Math.trunc(model.dimensions)))}))`),
        db.run(sql.raw(`create index "${table}_idx" on "${table}" (libsql_vector_idx(embedding, ${VECTOR_INDEX_OPTIONS.join(', ')}))`)),
        db.delete(semanticChunks).where(eq(semanticChunks.wikiId, wikiId)),
        db
          .insert(semanticIndexes)
          .values({ wikiId, createdAt: now, ...values })
          .onConflictDoUpdate({ target: semanticIndexes.wikiId, set: values }),
        enqueueWholeWiki(db, wikiId, now, true),
      ]);
    } catch (err) {
      if (attempt < 3 && /cas_guard/.test(String((err as Error).message) + String((err as { cause?: Error }).cause?.message))) continue;
      throw err;
    }
    return { ...(await readIndex(db, wikiId))!, fresh: true };
  }
}

/** A requested reindex: every page queued to be embedded afresh, with the start noted for progress. */
export async function startReindex(db: Db, wikiId: string, now = Date.now()): Promise<void> {
  await db.batch([
    enqueueWholeWiki(db, wikiId, now, true),
    db
      .update(semanticIndexes)
      .set({ reindexStartedAt: now, reindexFinishedAt: null, reindexTotal: sql`(select count(*) from pages where wiki_id = ${wikiId})` })
      .where(eq(semanticIndexes.wikiId, wikiId)),
  ]);
}

// ---------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------

export interface QueueItem {
  wikiId: string;
  path: string;
  gen: number;
  force: boolean;
  attempts: number;
}

/**
 * Takes up to `limit` due rows (oldest first; of one wiki if given) and leases
 * them for `leaseMs`: another drainer skips them until the lease lapses (a
 * drainer that died mid-way), or a write makes them due again.
 */
export async function claimQueue(db: Db, options: { now: number; limit: number; leaseMs: number; wikiId?: string }): Promise<QueueItem[]> {
  const { now, limit, leaseMs, wikiId } = options;
  const due = sql`lease_until <= ${now} and not_before <= ${now} ${wikiId ? sql`and wiki_id = ${wikiId}` : sql``}`;
  // A read first: an idle queue (the tick asks every second) costs no write transaction.
  const [any] = await db.all<{ one: number }>(sql`select 1 as one from semantic_queue where ${due} limit 1`);
  if (!any) return [];
  const rows = await db.all<{ wiki_id: string; path: string; gen: number; force: number; attempts: number }>(sql`update semantic_queue set lease_until = ${now + leaseMs}
    where rowid in (select rowid from semantic_queue where ${due} order by enqueued_at limit ${limit})
    returning wiki_id, path, gen, force, attempts`);
  return rows.map((r) => ({ wikiId: r.wiki_id, path: r.path, gen: Number(r.gen), force: !!Number(r.force), attempts: Number(r.attempts) }));
}

/** Gives rows back: due at `notBefore`; `failed` counts an attempt and keeps the error. */
export function releaseStatement(db: Db, items: readonly QueueItem[], notBefore: number, error?: string): Statement {
  const keys = JSON.stringify(items.map((i) => [i.wikiId, i.path, i.gen]));
  return db.run(sql`update semantic_queue set lease_until = 0, not_before = ${notBefore}
      ${error === undefined ? sql`` : sql`, attempts = attempts + 1, last_error = ${error.slice(0, 500)}`}
    where (wiki_id, path, gen) in (select value ->> 0, value ->> 1, value ->> 2 from json_each(${keys}))`);
}

// ---------------------------------------------------------------------------
// Reading what a queue row needs, and writing a page's chunks
// ---------------------------------------------------------------------------

export interface PageSource {
  wikiId: string;
  path: string;
  /** Null when the page no longer exists. */
  page: { revision: string; title: string | null; body: string } | null;
  /** The chunks stored now. */
  stored: StoredChunk[];
}

export interface StoredChunk {
  id: number;
  prefix: string;
  text: string;
}

function frontmatterTitle(json: string | null): string | null {
  if (!json) return null;
  try {
    const data = JSON.parse(json) as Record<string, unknown>;
    const t = data?.title;
    return typeof t === 'string' || typeof t === 'number' ? String(t) : null;
  } catch {
    return null;
  }
}

/** The pages behind queue rows (title, revision and body as the index holds them) and their stored chunks, in one round trip. */
export async function readSources(db: Db, items: readonly QueueItem[]): Promise<PageSource[]> {
  if (!items.length) return [];
  const keys = JSON.stringify(items.map((i) => [i.wikiId, i.path]));
  const claimed = sql`select value ->> 0 as wiki_id, value ->> 1 as path from json_each(${keys})`;
  const [pagesRows, chunkRows] = await db.batch([
    db.all<{ wiki_id: string; path: string; revision: string; frontmatter: string | null; body: string | null }>(sql`select c.wiki_id, c.path, p.updated_commit as revision, p.frontmatter, t.body
      from (${claimed}) c join pages p on p.wiki_id = c.wiki_id and p.path = c.path left join page_texts t on t.id = p.id`),
    db.all<{ id: number; wiki_id: string; page: string; prefix: string; text: string }>(sql`select id, wiki_id, page, prefix, text from semantic_chunks
      where (wiki_id, page) in (${claimed}) order by id`),
  ]);
  const key = (w: string, p: string) => `${w}\u0000${p}`;
  const pageOf = new Map(pagesRows.map((r) => [key(r.wiki_id, r.path), r]));
  const storedOf = new Map<string, StoredChunk[]>();
  for (const r of chunkRows) {
    const k = key(r.wiki_id, r.page);
    const list = storedOf.get(k) ?? [];
    list.push({ id: Number(r.id), prefix: r.prefix, text: r.text });
    storedOf.set(k, list);
  }
  return items.map((i) => {
    const p = pageOf.get(key(i.wikiId, i.path));
    return {
      wikiId: i.wikiId,
      path: i.path,
      page: p ? { revision: p.revision, title: frontmatterTitle(p.frontmatter), body: p.body ?? '' } : null,
      stored: storedOf.get(key(i.wikiId, i.path)) ?? [],
    };
  });
}

export interface NewChunk {
  chunkIndex: number;
  chunkCount: number;
  section: string;
  prefix: string;
  text: string;
}

/** What to do to one page's stored chunks. */
export interface PagePlan {
  item: QueueItem;
  index: IndexRow;
  revision: string;
  /** Stored chunks kept as they are (same embedded text), with their new place. */
  keep: { id: number; chunk: NewChunk }[];
  /** Chunks to insert with their embedding. */
  add: { chunk: NewChunk; embedding: Float32Array }[];
  /** Stored chunk ids to remove. */
  remove: number[];
}

/**
 * Statements applying `plan`, each conditional on the queue row still being
 * the one the drainer read (same `gen`: no write since) and on the wiki's index
 * still being the one embedded for; the queue row goes last under the same
 * condition. Work on a page that changed meanwhile is dropped, and the page,
 * due again, is done over.
 */
export function planStatements(db: Db, plan: PagePlan): Statement[] {
  const { item, index } = plan;
  const when = sql`exists (select 1 from semantic_queue where wiki_id = ${item.wikiId} and path = ${item.path} and gen = ${item.gen})
    and exists (select 1 from semantic_indexes where wiki_id = ${item.wikiId} and provider = ${index.provider} and model = ${index.model} and dimensions = ${index.dimensions} and vector_table = ${index.vectorTable})`;
  const table = vectorTable(index.vectorTable);
  const out: Statement[] = [];
  if (plan.remove.length) {
    const ids = JSON.stringify(plan.remove);
    out.push(db.run(sql`delete from ${table} where id in (select value from json_each(${ids})) and ${when}`));
    out.push(db.run(sql`delete from semantic_chunks where id in (select value from json_each(${ids})) and ${when}`));
  }
  for (const { id, chunk } of plan.keep) {
    out.push(db.run(sql`update semantic_chunks set chunk_index = ${chunk.chunkIndex}, chunk_count = ${chunk.chunkCount}, section = ${chunk.section}, revision = ${plan.revision} where id = ${id} and ${when}`));
    out.push(chunkWordsStatement(db, item.wikiId, sql`${id}`, chunk.section, chunk.text, when));
  }
  for (const { chunk, embedding } of plan.add) {
    out.push(
      db.run(sql`insert into semantic_chunks (wiki_id, page, revision, chunk_index, chunk_count, section, prefix, text)
        select ${item.wikiId}, ${item.path}, ${plan.revision}, ${chunk.chunkIndex}, ${chunk.chunkCount}, ${chunk.section}, ${chunk.prefix}, ${chunk.text} where ${when}`),
    );
    // The chunk's id is the rowid just inserted (statements of a batch share one connection). Each
    // insert below gives that same rowid explicitly, so last_insert_rowid() stays the chunk's id.
    out.push(chunkWordsStatement(db, item.wikiId, sql`last_insert_rowid()`, chunk.section, chunk.text, when));
    out.push(db.run(sql`insert into ${table} (id, embedding) select last_insert_rowid(), vector32(${vectorBlob(embedding)}) where ${when}`));
  }
  out.push(db.delete(semanticQueue).where(and(eq(semanticQueue.wikiId, item.wikiId), eq(semanticQueue.path, item.path), eq(semanticQueue.gen, item.gen), sql`${when}`)));
  return out;
}

/** The queue row of a page that no longer exists (or of a deleted wiki), with its chunks. */
export function forgetPageStatements(db: Db, item: QueueItem, index: IndexRow | null): Statement[] {
  const guard = sql`exists (select 1 from semantic_queue where wiki_id = ${item.wikiId} and path = ${item.path} and gen = ${item.gen})`;
  return [
    ...(index ? [db.run(sql`delete from ${vectorTable(index.vectorTable)} where id in (select id from semantic_chunks where wiki_id = ${item.wikiId} and page = ${item.path}) and ${guard}`)] : []),
    db.run(sql`delete from semantic_chunks where wiki_id = ${item.wikiId} and page = ${item.path} and ${guard}`),
    db.delete(semanticQueue).where(and(eq(semanticQueue.wikiId, item.wikiId), eq(semanticQueue.path, item.path), eq(semanticQueue.gen, item.gen))),
  ];
}

/** Notes the end of every reindex whose wiki has nothing left in the queue. */
export function finishReindexStatement(db: Db, now: number): Statement {
  return db.run(sql`update semantic_indexes set reindex_finished_at = ${now}
    where reindex_finished_at is null and reindex_started_at is not null
      and not exists (select 1 from semantic_queue q where q.wiki_id = semantic_indexes.wiki_id)`);
}

/** Vector tables no index names any more (their wiki was deleted): dropped. */
export async function sweepVectorTables(db: Db): Promise<string[]> {
  const orphans = await db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name glob 'semvec_*' and name not glob '*_shadow'
    and name not in (select vector_table from semantic_indexes)`);
  const names = orphans.map((o) => o.name).filter((n) => TABLE_NAME.test(n));
  await runBatch(db, names.map((n) => db.run(sql`drop table if exists ${vectorTable(n)}`)));
  return names;
}

// ---------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------

export interface IndexStatus {
  index: IndexRow | null;
  /** Pages of the wiki in the index. */
  pages: number;
  /** Chunks stored. */
  chunks: number;
  /** Pages waiting in the queue, and how many of them failed at least once. */
  queued: number;
  failing: number;
  lastError: string | null;
}

export async function indexStatus(db: Db, wikiId: string): Promise<IndexStatus> {
  const [indexRows, counts] = await db.batch([
    db.select().from(semanticIndexes).where(eq(semanticIndexes.wikiId, wikiId)),
    db.all<{ pages: number; chunks: number; queued: number; failing: number; last_error: string | null }>(sql`select
      (select count(*) from pages where wiki_id = ${wikiId}) as pages,
      (select count(*) from semantic_chunks where wiki_id = ${wikiId}) as chunks,
      (select count(*) from semantic_queue where wiki_id = ${wikiId}) as queued,
      (select count(*) from semantic_queue where wiki_id = ${wikiId} and attempts > 0) as failing,
      (select last_error from semantic_queue where wiki_id = ${wikiId} and last_error is not null order by enqueued_at desc limit 1) as last_error`),
  ]);
  const c = counts[0]!;
  return {
    index: indexRows[0] ? toRow(indexRows[0]) : null,
    pages: Number(c.pages),
    chunks: Number(c.chunks),
    queued: Number(c.queued),
    failing: Number(c.failing),
    lastError: c.last_error,
  };
}
