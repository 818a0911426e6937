/**
 * Embedding providers. One interface, so the drainer and search do not care
 * where vectors come from; today an OpenAI-compatible `/v1/embeddings`
 * endpoint (Ollama, llama.cpp, vLLM, hosted APIs), later e.g. a Workers AI
 * binding (`env.AI.run(model, { text })`) behind the same `embed`.
 *
 * Runtime-neutral: the caller passes the fetch to use (in the wiki worker, the
 * `EMBEDDINGS` service binding; in tests, Node's fetch).
 */

export interface EmbedResult {
  vectors: Float32Array[];
  /** Milliseconds spent waiting for the provider (all batches and retries). */
  ms: number;
}

export interface EmbeddingProvider {
  /** What kind of provider made the vectors (`openai`), recorded with each wiki's index. */
  readonly kind: string;
  readonly model: string;
  /** The vectors' dimension: configured, or learnt from the provider's first answer. */
  dimensions(): Promise<number>;
  /** One vector per text, in order. Throws ProviderError. */
  embed(texts: readonly string[], options?: { timeoutMs?: number; retries?: number }): Promise<EmbedResult>;
}

/** A provider failure. `retryable`: the provider is down, slow or busy (try later); otherwise it refused the input or the credentials. */
export class ProviderError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;
  constructor(message: string, retryable: boolean, status?: number) {
    super(message);
    this.name = 'ProviderError';
    this.retryable = retryable;
    this.status = status;
  }
}

export interface OpenAiCompatibleOptions {
  /** Base URL of the API (`http://127.0.0.1:11434/v1`) or the embeddings endpoint itself. */
  url: string;
  model: string;
  apiKey?: string;
  /** Ask for (and expect) this dimension; unset: whatever the model gives. */
  dimensions?: number;
  fetch: (request: Request) => Promise<Response>;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Per request attempt (default 30 s). */
  timeoutMs?: number;
  /** Further attempts after a retryable failure (default 2), with exponential backoff from `backoffMs` (default 250 ms). */
  retries?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 10_000;

/** The endpoint for a configured URL: `…/v1` → `…/v1/embeddings`; a URL already ending in `/embeddings` as it is. */
export function embeddingsEndpoint(url: string): string {
  const base = url.replace(/\/+$/, '');
  return /\/embeddings$/.test(base) ? base : `${base}/embeddings`;
}

function retryAfterMs(res: Response): number | null {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.min(Math.max(0, s * 1000), MAX_RETRY_AFTER_MS);
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - Date.now()), MAX_RETRY_AFTER_MS) : null;
}

function parseVectors(json: unknown, count: number, dimensions: number | undefined): Float32Array[] {
  const data = (json as { data?: unknown })?.data;
  if (!Array.isArray(data) || data.length !== count) throw new ProviderError(`the provider answered ${Array.isArray(data) ? data.length : 'no'} embeddings for ${count} texts`, false);
  const out: Float32Array[] = new Array(count);
  data.forEach((item: { embedding?: unknown; index?: unknown }, position) => {
    const at = typeof item?.index === 'number' ? item.index : position;
    const e = item?.embedding;
    if (!Array.isArray(e) || !e.length || at < 0 || at >= count || out[at]) throw new ProviderError('the provider answered an embedding that is not a list of numbers', false);
    const v = Float32Array.from(e as number[]);
    if (v.some((x) => !Number.isFinite(x))) throw new ProviderError('the provider answered an embedding with a value that is not a number', false);
    out[at] = v;
  });
  const dim = dimensions ?? out[0]!.length;
  if (out.some((v) => v.length !== dim)) throw new ProviderError(`the provider answered embeddings of ${out.find((v) => v.length !== dim)!.length} dimensions, expected ${dim}`, false);
  return out;
}

/** An OpenAI-compatible `/v1/embeddings` endpoint, with batching, a timeout per request, and retries with backoff. */
export function openAiCompatible(o: OpenAiCompatibleOptions): EmbeddingProvider {
  const endpoint = embeddingsEndpoint(o.url);
  const batchSize = Math.max(1, o.batchSize ?? 64);
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let discovered: Promise<number> | null = null;

  async function once(texts: readonly string[], timeoutMs: number): Promise<Float32Array[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
    const body = JSON.stringify({ model: o.model, input: texts, encoding_format: 'float', ...(o.dimensions ? { dimensions: o.dimensions } : {}) });
    let res: Response;
    try {
      res = await o.fetch(new Request(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) }));
    } catch (err) {
      const e = err as Error;
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
      throw new ProviderError(timedOut ? `the provider did not answer within ${timeoutMs} ms` : `the provider could not be reached: ${e.message}`, true);
    }
    if (!res.ok) {
      const detail = (await res.text().catch(() => '')).slice(0, 300).replace(/\s+/g, ' ').trim();
      const err = new ProviderError(`the provider answered ${res.status}${detail ? `: ${detail}` : ''}`, RETRYABLE_STATUS.has(res.status), res.status);
      (err as ProviderError & { retryAfterMs?: number | null }).retryAfterMs = retryAfterMs(res);
      throw err;
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new ProviderError('the provider answered something that is not JSON', true);
    }
    return parseVectors(json, texts.length, o.dimensions);
  }

  async function withRetries(texts: readonly string[], timeoutMs: number, retries: number): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(texts, timeoutMs);
      } catch (err) {
        if (!(err instanceof ProviderError) || !err.retryable || attempt >= retries) throw err;
        const hinted = (err as ProviderError & { retryAfterMs?: number | null }).retryAfterMs;
        const backoff = (o.backoffMs ?? 250) * 2 ** attempt;
        await sleep(hinted ?? backoff * (0.75 + Math.random() / 2));
      }
    }
  }

  const provider: EmbeddingProvider = {
    kind: 'openai',
    model: o.model,
    dimensions() {
      if (o.dimensions) return Promise.resolve(o.dimensions);
      discovered ??= withRetries(['dimension probe'], o.timeoutMs ?? 30_000, o.retries ?? 2).then(
        ([v]) => v!.length,
        (err: unknown) => {
          discovered = null; // ask again next time
          throw err;
        },
      );
      return discovered;
    },
    async embed(texts, options = {}) {
      const started = performance.now();
      const vectors: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        vectors.push(...(await withRetries(texts.slice(i, i + batchSize), options.timeoutMs ?? o.timeoutMs ?? 30_000, options.retries ?? o.retries ?? 2)));
      }
      if (vectors.length && !o.dimensions && !discovered) discovered = Promise.resolve(vectors[0]!.length);
      return { vectors, ms: performance.now() - started };
    },
  };
  return provider;
}
