/**
 * A deterministic stand-in for an embedding provider: a tiny Node HTTP server
 * implementing OpenAI's `POST /v1/embeddings`. Vectors are random projections
 * of the bag of words (each distinct word once; lowercased, stop words dropped,
 * a plural `s` stripped), with a few
 * synonym groups folded together so tests can tell meaning from spelling
 * ("automobile" finds "car"), L2-normalised. The model name picks the
 * dimension: `hash-256` gives 256, `hash-32` 32 (default 256).
 *
 * Tests can take it down (`down = true`: 503s; or `stop()`), slow it down
 * (`delayMs`), and count what it was asked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const STOP = new Set('a an and are as at be but by do does for from has have how i in is it its of on or so that the this to was we what when where which who why will with you your'.split(' '));
const SYNONYMS: Record<string, string> = {
  automobile: 'car', vehicle: 'car', auto: 'car',
  physician: 'doctor', medic: 'doctor',
  feline: 'cat', kitten: 'cat',
  canine: 'dog', puppy: 'dog',
  purchase: 'buy', acquire: 'buy',
  begin: 'start', commence: 'start',
  film: 'movie', cinema: 'movie',
};

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!raw || STOP.has(raw)) continue;
    const word = raw.length > 3 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw;
    out.push(SYNONYMS[word] ?? word);
  }
  return out;
}

/** A well-mixed 32-bit hash (FNV-1a, then murmur3's finaliser), so that low bits do not collide together. */
function mix(s: string): number {
  let h = fnv1a(s);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The vector the server gives `text` at `dimensions`: the sum, over its
 * distinct words, of each word's own dense ±1 vector (seeded by the word), so
 * cosine similarity tracks the share of words two texts have in common, and
 * vectors are dense like a real model's (what libSQL's index compression expects).
 */
export function hashEmbedding(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const t of new Set(tokens(text))) {
    let x = mix(t) || 1;
    for (let i = 0; i < dimensions; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5; // xorshift32
      v[i]! += x & 1 ? 1 : -1;
    }
  }
  if (!v.some((x) => x !== 0)) v[0] = 1; // a text without words: never the zero vector
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

export function dimensionsOf(model: string): number {
  const m = /^hash-(\d{1,4})$/.exec(model);
  return m ? Number(m[1]) : 256;
}

export interface EmbeddingServer {
  /** `http://127.0.0.1:PORT/v1`: what EMBEDDINGS_URL takes. */
  url: string;
  port: number;
  /** Answer 503 to everything while true. */
  down: boolean;
  /** Added before each answer. */
  delayMs: number;
  /** Requests answered with embeddings, and texts embedded. */
  requests: number;
  texts: number;
  /** Every text embedded, in order (for assertions on what was re-embedded). */
  log: string[];
  /** Time spent handling requests, in ms (what a provider costs here). */
  busyMs: number;
  stop(): Promise<void>;
}

export async function startEmbeddingServer(options: { port?: number; host?: string } = {}): Promise<EmbeddingServer> {
  const state = { down: false, delayMs: 0, requests: 0, texts: 0, log: [] as string[], busyMs: 0 };
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
          state.busyMs += performance.now() - started;
        }, state.delayMs);
      };
      if (state.down) return answer(503, { error: { message: 'down for the test' } });
      if (req.method !== 'POST' || !/\/v1\/embeddings$/.test(req.url ?? '')) return answer(404, { error: { message: 'not found' } });
      let body: { model?: unknown; input?: unknown; dimensions?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return answer(400, { error: { message: 'not JSON' } });
      }
      const input = typeof body.input === 'string' ? [body.input] : body.input;
      if (typeof body.model !== 'string' || !Array.isArray(input) || input.some((t) => typeof t !== 'string')) return answer(400, { error: { message: 'model and input (strings) are required' } });
      const dimensions = typeof body.dimensions === 'number' ? body.dimensions : dimensionsOf(body.model);
      state.requests++;
      state.texts += input.length;
      state.log.push(...(input as string[]));
      answer(200, {
        object: 'list',
        model: body.model,
        data: (input as string[]).map((t, index) => ({ object: 'embedding', index, embedding: hashEmbedding(t, dimensions) })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
