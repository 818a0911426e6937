/**
 * A wiki's semantic index as people and programs see it (REST status, the
 * wiki's "Search by meaning" page), and a requested whole-wiki reindex.
 * Progress comes from the durable queue itself, so it survives restarts and
 * is the same in every process. Runtime-neutral.
 */
import { AppError } from '../../lib/errors.ts';
import type { Db } from '../../lib/db.ts';
import { ProviderError, type EmbeddingProvider } from './embeddings.ts';
import { ensureIndex, indexStatus, sameModel, startReindex } from './store.ts';

export interface SemanticStatus {
  /** False when no embedding provider is configured. */
  enabled: boolean;
  /** `off`; `in_progress` while a whole-wiki (re)index has pages left; `complete` after one; `idle` otherwise. */
  status: 'off' | 'idle' | 'in_progress' | 'complete';
  provider: string | null;
  model: string | null;
  dimensions: number | null;
  /** Pages in the wiki, chunks stored, pages waiting (of which failing at least once), the latest failure. */
  pages: number;
  chunks: number;
  queued: number;
  failing: number;
  last_error: string | null;
  reindex: {
    started_at: string | null;
    completed_at: string | null;
    total: number;
    done: number;
    /** 0..1. */
    progress: number;
  } | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function knownDimensions(provider: EmbeddingProvider): Promise<number | null> {
  try {
    return await provider.dimensions();
  } catch {
    return null;
  }
}

export async function semanticStatus(db: Db, provider: EmbeddingProvider | null, wikiId: string): Promise<SemanticStatus> {
  const s = await indexStatus(db, wikiId);
  const base = { pages: s.pages, chunks: s.chunks, queued: s.queued, failing: s.failing, last_error: s.lastError };
  if (!provider) return { enabled: false, status: 'off', provider: null, model: null, dimensions: null, ...base, reindex: null };
  const dimensions = s.index ? await knownDimensions(provider) : null;
  const current = s.index && s.index.provider === provider.kind && s.index.model === provider.model && (dimensions === null || s.index.dimensions === dimensions) ? s.index : null;
  if (!current) {
    // Not made yet for this model: the next drain makes it and queues every page.
    return {
      enabled: true,
      status: s.pages ? 'in_progress' : 'idle',
      provider: provider.kind,
      model: provider.model,
      dimensions,
      ...base,
      reindex: s.pages ? { started_at: null, completed_at: null, total: s.pages, done: 0, progress: 0 } : null,
    };
  }
  const total = current.reindexTotal;
  const running = current.reindexStartedAt !== null && current.reindexFinishedAt === null && s.queued > 0;
  const done = running ? Math.max(0, Math.min(total, total - s.queued)) : total;
  return {
    enabled: true,
    status: running ? 'in_progress' : current.reindexStartedAt !== null ? 'complete' : 'idle',
    provider: current.provider,
    model: current.model,
    dimensions: current.dimensions,
    ...base,
    reindex: current.reindexStartedAt === null ? null : { started_at: iso(current.reindexStartedAt), completed_at: iso(current.reindexFinishedAt), total, done, progress: total ? Math.round((done / total) * 1000) / 1000 : 1 },
  };
}

/**
 * Starts re-embedding every page of the wiki (the drainer does the work);
 * refused while one is running. Answers the status right after.
 * @throws AppError `conflict` while a reindex runs, `unavailable` when the provider cannot tell its dimension.
 */
export async function reindexWiki(db: Db, provider: EmbeddingProvider, wikiId: string): Promise<SemanticStatus> {
  const before = await semanticStatus(db, provider, wikiId);
  if (before.status === 'in_progress') throw new AppError('conflict', 'A reindex of this wiki is already in progress.', { reindex: before.reindex });
  let dimensions: number;
  try {
    dimensions = await provider.dimensions();
  } catch (err) {
    throw new AppError('unavailable', `The embedding provider did not answer (${err instanceof ProviderError ? err.message : String(err)}); try again later.`);
  }
  const model = { provider: provider.kind, model: provider.model, dimensions };
  const s = await indexStatus(db, wikiId);
  if (s.index && sameModel(s.index, model)) await startReindex(db, wikiId);
  else await ensureIndex(db, wikiId, model);
  return semanticStatus(db, provider, wikiId);
}
