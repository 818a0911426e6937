/**
 * Meaning-based search inside the wiki worker: the provider from the
 * environment, and the drainer's schedule. Two things start a drain:
 *
 * - a write: `drainSoon` after every page write (web, REST, MCP, push), run in
 *   `waitUntil` after the response, so chunks follow a write within about a
 *   second (the time to embed its chunks);
 * - the supervisor's tick (bin/lib/semantic-ticker.ts, `POST
 *   /internal/semantic/drain` about once a second), which picks up whatever no
 *   write triggers: rows left by a restart or a lapsed lease, a provider that
 *   came back, a model change, pages the admin CLI or a reconciler indexed.
 *
 * One drain runs at a time in this isolate; a request that finds one running
 * asks it to go round once more. The breaker and the figures are memory of
 * this isolate only (caches: a restart forgets them, nothing depends on them).
 */
import { waitUntil } from 'cloudflare:workers';
import { dbFor } from '../../lib/worker/db.ts';
import { drainQueue, ProviderBreaker, type DrainStats } from './drain.ts';
import { openAiCompatible, type EmbeddingProvider } from './embeddings.ts';
import { sweepVectorTables } from './store.ts';

/** The wiki worker's bindings for meaning-based search (config.capnp; empty strings when unset). */
export interface SemanticEnv {
  SQLD: Fetcher;
  /** The `embeddings` external service: the provider's host and port, nothing else. */
  EMBEDDINGS?: Fetcher;
  EMBEDDINGS_URL?: string;
  EMBEDDINGS_MODEL?: string;
  EMBEDDINGS_API_KEY?: string;
  EMBEDDINGS_DIMENSIONS?: string;
}

let cached: { key: string; provider: EmbeddingProvider } | null = null;

/** The configured provider, or null when meaning-based search is off. */
export function providerFor(env: SemanticEnv): EmbeddingProvider | null {
  const url = env.EMBEDDINGS_URL?.trim();
  const model = env.EMBEDDINGS_MODEL?.trim();
  const binding = env.EMBEDDINGS;
  if (!url || !model || !binding) return null;
  const dimensions = Number(env.EMBEDDINGS_DIMENSIONS) || undefined;
  const key = `${url}\u0000${model}\u0000${dimensions ?? ''}\u0000${env.EMBEDDINGS_API_KEY ?? ''}`;
  if (cached?.key !== key) {
    const apiKey = env.EMBEDDINGS_API_KEY?.trim();
    cached = {
      key,
      provider: openAiCompatible({ url, model, ...(apiKey ? { apiKey } : {}), ...(dimensions ? { dimensions } : {}), fetch: (request) => binding.fetch(request) }),
    };
  }
  return cached.provider;
}

/** What this isolate's drains did since it started (for the benchmark and the internal stats endpoint). */
export interface DrainTotals {
  drains: number;
  pages: number;
  chunksAdded: number;
  chunksKept: number;
  chunksRemoved: number;
  /** Wall time of drains that did work, and the part spent waiting for the provider. */
  busyMs: number;
  providerMs: number;
  lastError: string | null;
  lastErrorAt: number | null;
}

const totals: DrainTotals = { drains: 0, pages: 0, chunksAdded: 0, chunksKept: 0, chunksRemoved: 0, busyMs: 0, providerMs: 0, lastError: null, lastErrorAt: null };
const breaker = new ProviderBreaker();
let running = false;
let again = false;
let lastModelCheck = 0;
let lastSweep = 0;

const MODEL_CHECK_MS = 10_000;
const DRAIN_BUDGET_MS = 10_000;
const SWEEP_MS = 5 * 60_000;

export function drainTotals(): DrainTotals {
  return { ...totals };
}

export interface DrainAnswer {
  /** False when search by meaning is off, a drain was already running here, or the provider is resting after a failure. */
  ran: boolean;
  stats?: DrainStats;
  error?: string;
}

/** Drains the queue now (see the module comment); resolves when this isolate's drain is done. */
export async function drainNow(env: SemanticEnv): Promise<DrainAnswer> {
  const provider = providerFor(env);
  if (!provider) return { ran: false };
  if (running) {
    again = true;
    return { ran: false };
  }
  if (breaker.open(Date.now())) return { ran: false, ...(totals.lastError ? { error: totals.lastError } : {}) };
  running = true;
  try {
    const db = dbFor(env);
    let stats: DrainStats;
    do {
      again = false;
      const checkModels = Date.now() - lastModelCheck > MODEL_CHECK_MS;
      if (checkModels) lastModelCheck = Date.now();
      // One budget per call: the tick comes back a second later for the rest, so no request runs long.
      stats = await drainQueue(db, provider, { checkModels, budgetMs: DRAIN_BUDGET_MS });
      totals.drains++;
      totals.pages += stats.pages;
      totals.chunksAdded += stats.chunksAdded;
      totals.chunksKept += stats.chunksKept;
      totals.chunksRemoved += stats.chunksRemoved;
      if (stats.pages) {
        totals.busyMs += stats.ms;
        totals.providerMs += stats.providerMs;
      }
      if (stats.error) {
        breaker.failed(Date.now());
        totals.lastError = stats.error;
        totals.lastErrorAt = Date.now();
        lastModelCheck = 0;
      } else {
        breaker.succeeded();
      }
    } while (again && !stats.more && !stats.error);
    if (!stats.error && Date.now() - lastSweep > SWEEP_MS) {
      lastSweep = Date.now();
      await sweepVectorTables(db).catch(() => {});
    }
    return { ran: true, stats, ...(stats.error ? { error: stats.error } : {}) };
  } finally {
    running = false;
  }
}

/** After a write: drain once the response is sent (a no-op when search by meaning is off). */
export function drainSoon(env: SemanticEnv): void {
  if (!providerFor(env)) return;
  try {
    waitUntil(drainNow(env).catch(() => {}));
  } catch {
    // Outside a request (cannot happen in the worker's handlers): the supervisor's tick will drain.
  }
}
