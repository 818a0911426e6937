/**
 * The load generator, run as its own process so it does not share a core's
 * event loop with what it measures. Reads one scenario as JSON from argv,
 * drives it with autocannon, prints the result as JSON on stdout.
 */
import autocannon from 'autocannon';

interface Scenario {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationS: number;
}

const scenario = JSON.parse(process.argv[2] ?? '{}') as Scenario;
const result = await autocannon({
  url: scenario.url,
  method: scenario.method ?? 'GET',
  headers: scenario.headers ?? {},
  ...(scenario.body ? { body: scenario.body } : {}),
  connections: scenario.connections,
  duration: scenario.durationS,
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
