/**
 * The load generator, run as its own process so it does not share a core's
 * event loop with what it measures. Reads one load description as JSON from
 * argv, drives it with autocannon, prints the result as JSON on stdout.
 * `uniquePaths` turns `{n}` in the path (and the body) into a fresh number
 * per request (e.g. to save a new page each time).
 */
import autocannon from 'autocannon';

export interface Load {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  uniquePaths?: boolean;
  connections: number;
  durationS: number;
}

const load = JSON.parse(process.argv[2] ?? '{}') as Load;
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
              const i = String(n++);
              return { ...req, path: (req.path ?? '').replace(/\{n\}|%7Bn%7D/, i), ...(load.body ? { body: load.body.replace('{n}', i) } : {}) };
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
    errors: result.errors,
    timeouts: result.timeouts,
  }),
);
