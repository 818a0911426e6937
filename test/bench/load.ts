/**
 * The load generator, run as its own process so it does not share a core's
 * event loop with what it measures. Reads one load description as JSON from
 * argv, drives it with autocannon, prints the result as JSON on stdout.
 * `uniquePaths` turns `{n}` in the path (and the body) into a fresh number
 * per request (e.g. to save a new page each time), `{n%k}` into that
 * number modulo k (to cycle through k variants), and `{w<d>}` into a word of
 * `words`: the (n / d)th, cycling (so `{w1} {w20}` with 20 words makes 400
 * different pairs).
 */
import autocannon from 'autocannon';

export interface Load {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  uniquePaths?: boolean;
  /** The words `{w<d>}` picks from. */
  words?: string[];
  connections: number;
  durationS: number;
}

const load = JSON.parse(process.argv[2] ?? '{}') as Load;

/**
 * `text` with each `{n}` as `i`, each `{n%k}` as `i % k` and each `{w<d>}` as
 * the word `floor(i / d)` of `words`, cycling (also URL-encoded, as `new URL`
 * leaves them).
 */
function numbered(text: string, i: number): string {
  const words = load.words ?? [];
  return text
    .replace(/\{n(?:%(\d+))?\}|%7Bn(?:%25(\d+))?%7D/g, (_, k?: string, kEncoded?: string) => String(k ?? kEncoded ? i % Number(k ?? kEncoded) : i))
    .replace(/\{w(\d+)\}|%7Bw(\d+)%7D/g, (_, d?: string, dEncoded?: string) => words[Math.floor(i / Number(d ?? dEncoded)) % words.length] ?? '');
}
let n = 0;
const url = new URL(load.url);
const result = await autocannon({
  url: url.origin,
  connections: load.connections,
  duration: load.durationS,
  requests: [
    {
      method: load.method ?? 'GET',
      path: url.pathname + url.search,
      headers: load.headers ?? {},
      ...(load.body ? { body: load.body } : {}),
      ...(load.uniquePaths
        ? {
            setupRequest: (req: autocannon.Request) => {
              const i = n++;
              return { ...req, path: numbered(req.path ?? '', i), ...(load.body ? { body: numbered(load.body, i) } : {}) };
            },
          }
        : {}),
    },
  ],
});
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    // Which statuses the failures had (autocannon counts every status code it saw).
    statuses: Object.fromEntries(Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {}).filter(([code]) => !code.startsWith('2')).map(([code, s]) => [code, s.count])),
    errors: result.errors,
    timeouts: result.timeouts,
  }),
);
