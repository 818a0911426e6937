/**
 * `npm run bench`: starts the stack on a fresh data directory, drives each
 * scenario from a separate load-generator process (autocannon), samples the
 * stack's RSS (workerd + sqld) while it runs, prints a table and writes
 * test/bench/results.json. Later issues add their scenarios to SCENARIOS.
 *   BENCH_DURATION (seconds per scenario, default 10), BENCH_CONNECTIONS (default 50)
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../bin/lib/build.ts';
import { readSettings } from '../../bin/lib/settings.ts';
import { startStack, type Stack } from '../../bin/lib/stack.ts';
import { seedWiki } from '../helpers/stack.ts';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RESULTS = path.join(ROOT, 'test', 'bench', 'results.json');
const DID = 'did:plc:benchbenchbenchbenchbenc';

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface Scenario {
  name: string;
  what: string;
  request(stack: Stack): { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string };
}

const SCENARIOS: Scenario[] = [
  {
    name: 'gateway-health',
    what: 'GET /healthz/gateway on the apex: socket → gateway worker, no I/O',
    request: (s) => ({ url: `${s.gatewayUrl}/healthz/gateway`, headers: { host: `wiki.localhost:${s.port}` } }),
  },
  {
    name: 'sqld-one-row',
    what: 'one-row SELECT by primary key, straight to sqld over HTTP (hrana pipeline)',
    request: (s) => ({
      url: `${s.sqldUrl}/v2/pipeline`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'select did, handle from users where did = ?', args: [{ type: 'text', value: DID }] } }, { type: 'close' }] }),
    }),
  },
  {
    name: 'wiki-host-lookup',
    what: 'GET / on a wiki host: gateway → wiki worker → one-row lookup in sqld',
    request: (s) => ({ url: `${s.gatewayUrl}/`, headers: { host: `bench.wiki.localhost:${s.port}` } }),
  },
];

function rssKiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function stackRssMiB(stack: Stack): { workerd: number; sqld: number } {
  const c = stack.children();
  return { workerd: rssKiB(c.workerd.pid) / 1024, sqld: rssKiB(c.sqld.pid) / 1024 };
}

function runLoad(request: ReturnType<Scenario['request']>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'test', 'bench', 'load.ts'), JSON.stringify({ ...request, connections: CONNECTIONS, durationS: DURATION_S })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`))));
  });
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wikifarm-bench-'));
const startedAt = performance.now();
const stack = await startStack({ settings: readSettings({}, { port: 0, internalPort: 0, sqldPort: 0, apex: 'wiki.localhost', dataDir }), log: () => {} });
const startMs = Math.round(performance.now() - startedAt);
try {
  await seedWiki(stack, 'bench', DID);

  const idle = stackRssMiB(stack);
  console.log(`stack start (build, keys, sqld, migrations, workerd, healthy): ${startMs} ms`);
  console.log(`stack idle RSS: workerd ${idle.workerd.toFixed(0)} MiB, sqld ${idle.sqld.toFixed(0)} MiB`);
  console.log(`${CONNECTIONS} connections, ${DURATION_S} s per scenario, ${os.cpus().length} cores\n`);

  const results = [];
  for (const scenario of SCENARIOS) {
    let peak = { workerd: 0, sqld: 0 };
    const sampler = setInterval(() => {
      const now = stackRssMiB(stack);
      peak = { workerd: Math.max(peak.workerd, now.workerd), sqld: Math.max(peak.sqld, now.sqld) };
    }, 250);
    const load = await runLoad(scenario.request(stack));
    clearInterval(sampler);
    const ok = load.non2xx === 0 && load.errors === 0 && load.timeouts === 0;
    results.push({ name: scenario.name, what: scenario.what, ...load, ok, peakRssMiB: { workerd: Math.round(peak.workerd), sqld: Math.round(peak.sqld) } });
    console.log(
      `${scenario.name.padEnd(18)} ${load.rps.toFixed(0).padStart(7)} req/s  p50 ${String(load.p50).padStart(3)} ms  p99 ${String(load.p99).padStart(3)} ms  ` +
        `RSS workerd ${peak.workerd.toFixed(0)} MiB sqld ${peak.sqld.toFixed(0)} MiB${ok ? '' : `  (non-2xx ${load.non2xx}, errors ${load.errors}, timeouts ${load.timeouts})`}`,
    );
  }
  const record = { date: new Date().toISOString(), commit: commit(), machine: { cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, connections: CONNECTIONS, durationS: DURATION_S, startMs, idleRssMiB: { workerd: Math.round(idle.workerd), sqld: Math.round(idle.sqld) }, scenarios: results };
  fs.writeFileSync(RESULTS, JSON.stringify(record, null, 2) + '\n');
  console.log(`\nwritten to ${path.relative(ROOT, RESULTS)}`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
} finally {
  await stack.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
