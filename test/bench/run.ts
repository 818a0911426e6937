/**
 * `npm run bench`: starts the stack on a fresh data directory, seeds what the
 * scenarios need, drives each scenario from a separate load-generator process
 * (autocannon), samples the stack's RSS (workerd + sqld) while it runs,
 * prints a table and writes test/bench/results.json.
 *   BENCH_DURATION (seconds per scenario, default 10), BENCH_CONNECTIONS (default 50),
 *   BENCH_ONLY (comma-separated scenario names; git-clone, git-clone-loose, git-push for git over HTTP),
 *   BENCH_GIT_CLONES (clones per server, default 5), BENCH_GIT_PUSHES (default 40)
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../bin/lib/build.ts';
import { readSettings } from '../../bin/lib/settings.ts';
import { startStack, type Stack } from '../../bin/lib/stack.ts';
import { FOUNDATION, setupFoundation } from './foundation.ts';
import type { Load } from './load.ts';
import type { Scenario } from './scenario.ts';
import { addManyWikis, MCP, setupWiki, WIKI, WIKI_AT_SCALE, WIKI_WRITES } from './wiki.ts';
import { SEMANTIC, SEMANTIC_MODEL, setupSemantic, type SemanticFigures } from './semantic.ts';
import { startEmbeddingServer } from '../helpers/embedding-server.ts';
import { measureGit } from './git.ts';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const RESULTS = path.join(ROOT, 'test', 'bench', 'results.json');

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  /** Counts of the non-2xx statuses, by code. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

function rssKiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** CPU time (user + system) process `pid` has used, in ms, or null when it is gone. */
function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The stack's CPU time per request over a scenario, by process (ms), where both ends were measured on the same process. */
function cpuPerRequest(before: { workerd: number | null; sqld: number | null; pids: number[] }, after: typeof before, requests: number) {
  const per = (a: number | null, b: number | null, same: boolean) => (a === null || b === null || !same || requests === 0 ? null : Math.round(((b - a) / requests) * 100) / 100);
  return { workerd: per(before.workerd, after.workerd, before.pids[0] === after.pids[0]), sqld: per(before.sqld, after.sqld, before.pids[1] === after.pids[1]) };
}

function stackCpu(stack: Stack) {
  const c = stack.children();
  return { workerd: cpuMs(c.workerd.pid), sqld: cpuMs(c.sqld.pid), pids: [c.workerd.pid ?? 0, c.sqld.pid ?? 0] };
}

function stackRssMiB(stack: Stack): { workerd: number; sqld: number } {
  const c = stack.children();
  return { workerd: rssKiB(c.workerd.pid) / 1024, sqld: rssKiB(c.sqld.pid) / 1024 };
}

/**
 * The stack's RSS once it has settled after the run: a workerd over its
 * memory limit is replaced when idle (bin/lib/recycle.ts), so this waits for
 * that (at most the idle window plus 20 s) and measures after.
 */
async function settledRss(stack: Stack): Promise<{ workerd: number; sqld: number; recycledAfterS: number | null }> {
  const started = performance.now();
  const before = stack.children().workerd;
  if (settings.recycle.rssMiB > 0 && stackRssMiB(stack).workerd > settings.recycle.rssMiB) {
    const deadline = started + settings.recycle.idleMs + 20_000;
    while (stack.children().workerd === before && performance.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    await Promise.race([before.exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  const recycled = stack.children().workerd !== before;
  return { ...stackRssMiB(stack), recycledAfterS: recycled ? round((performance.now() - started) / 1000) : null };
}

function runLoad(load: Load): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'test', 'bench', 'load.ts'), JSON.stringify(load)], { stdio: ['ignore', 'pipe', 'inherit'] });
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

const round = (n: number) => Math.round(n * 10) / 10;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wikifarm-bench-'));
const startedAt = performance.now();
/** The stack's own log (workerd's and sqld's output), kept when a scenario has failures. */
const STACK_LOG = path.join(os.tmpdir(), `wikifarm-bench-${process.pid}.log`);
const settings = readSettings({}, { port: 0, internalPort: 0, sqldPort: 0, apex: 'wiki.localhost', dataDir, writesPerMinute: 1_000_000 });
const stack = await startStack({ settings, log: (line) => fs.appendFileSync(STACK_LOG, `${line}\n`) });
const mainStack = stack;
/** Whether any of `scenarios` runs (BENCH_ONLY). */
const wanted = (scenarios: Scenario[]) => !ONLY || scenarios.some((s) => ONLY.has(s.name));

/**
 * Search by meaning, on a stack of its own whose provider is the deterministic
 * embedding server (so the other scenarios' writes are not followed by embedding work).
 */
async function measureSemantic(): Promise<SemanticFigures> {
  const embeddings = await startEmbeddingServer();
  const semDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wikifarm-bench-semantic-'));
  const semStack = await startStack({
    settings: readSettings({}, { port: 0, internalPort: 0, sqldPort: 0, apex: 'wiki.localhost', dataDir: semDir, writesPerMinute: 1_000_000, embeddings: { url: embeddings.url, model: SEMANTIC_MODEL } }),
    log: () => {},
    skipBuild: true,
  });
  try {
    const figures = await setupSemantic(semStack, embeddings, (l) => console.log(`(${l})`));
    await measure(SEMANTIC, semStack);
    return figures;
  } finally {
    await semStack.stop();
    await embeddings.stop();
    fs.rmSync(semDir, { recursive: true, force: true });
  }
}
const startMs = Math.round(performance.now() - startedAt);
const results: Record<string, unknown>[] = [];

async function measure(scenarios: Scenario[], stack: Stack = mainStack): Promise<void> {
  for (const scenario of scenarios) {
    if (ONLY && !ONLY.has(scenario.name)) continue;
    let peak = { workerd: 0, sqld: 0 };
    const sampler = setInterval(() => {
      const now = stackRssMiB(stack);
      peak = { workerd: Math.max(peak.workerd, now.workerd), sqld: Math.max(peak.sqld, now.sqld) };
    }, 250);
    const connections = scenario.connections ?? CONNECTIONS;
    const cpuBefore = stackCpu(stack);
    const load = await runLoad({ ...scenario.load(stack), connections, durationS: DURATION_S });
    const cpu = cpuPerRequest(cpuBefore, stackCpu(stack), load.requests);
    clearInterval(sampler);
    const ok = load.non2xx === 0 && load.errors === 0 && load.timeouts === 0 && load.requests > 0;
    results.push({ name: scenario.name, what: scenario.what, connections, ...load, ok, peakRssMiB: { workerd: Math.round(peak.workerd), sqld: Math.round(peak.sqld) }, cpuMsPerRequest: cpu });
    console.log(
      `${scenario.name.padEnd(26)} ${load.rps.toFixed(0).padStart(7)} req/s  p50 ${String(load.p50).padStart(4)} ms  p99 ${String(load.p99).padStart(4)} ms  c=${String(connections).padEnd(3)}` +
        ` RSS workerd ${peak.workerd.toFixed(0)} MiB sqld ${peak.sqld.toFixed(0)} MiB  CPU/req workerd ${cpu.workerd ?? '?'} sqld ${cpu.sqld ?? '?'} ms${ok ? '' : `  (non-2xx ${load.non2xx} ${JSON.stringify(load.statuses)}, errors ${load.errors}, timeouts ${load.timeouts}; the stack's log: ${STACK_LOG})`}`,
    );
  }
}

try {
  console.log(`stack start (build, keys, sqld, migrations, workerd, healthy): ${startMs} ms`);
  const idle = stackRssMiB(stack);
  console.log(`stack idle RSS: workerd ${idle.workerd.toFixed(0)} MiB, sqld ${idle.sqld.toFixed(0)} MiB`);
  console.log(`${CONNECTIONS} connections unless noted, ${DURATION_S} s per scenario, ${os.cpus().length} cores\n`);
  await setupFoundation(stack);
  await measure(FOUNDATION);
  await setupWiki(stack, (l) => console.log(`(${l})`));
  await measure(WIKI);
  // The farm's wikis join before the writes, so the reads at scale find the corpus as the reads above did.
  const farmStart = performance.now();
  await addManyWikis(stack);
  console.log(`(added 999 wikis of 10 pages in ${Math.round(performance.now() - farmStart)} ms)`);
  await measure(WIKI_AT_SCALE);
  await measure(WIKI_WRITES);
  await measure(MCP);
  results.push(...(await measureGit(stack, dataDir, ONLY, (l) => console.log(l))));
  const after = stackRssMiB(stack);
  console.log(`\nstack RSS right after the run: workerd ${after.workerd.toFixed(0)} MiB + sqld ${after.sqld.toFixed(0)} MiB = ${(after.workerd + after.sqld).toFixed(0)} MiB`);
  const settled = await settledRss(stack);
  console.log(
    `stack RSS once settled (${settled.recycledAfterS === null ? 'workerd not recycled' : `workerd recycled ${settled.recycledAfterS} s after the run`}): ` +
      `workerd ${settled.workerd.toFixed(0)} MiB + sqld ${settled.sqld.toFixed(0)} MiB = ${(settled.workerd + settled.sqld).toFixed(0)} MiB`,
  );
  // Search by meaning runs on a stack of its own, after the main stack's figures.
  const semantic = wanted(SEMANTIC) ? await measureSemantic() : null;
  const record = {
    date: new Date().toISOString(),
    commit: commit(),
    machine: { cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    connections: CONNECTIONS,
    durationS: DURATION_S,
    startMs,
    idleRssMiB: { workerd: round(idle.workerd), sqld: round(idle.sqld) },
    afterRunRssMiB: { workerd: round(after.workerd), sqld: round(after.sqld) },
    /** After the run, once an idle workerd over WORKERD_RECYCLE_MIB was replaced (the issue's "RSS after the run"). */
    settledRssMiB: { workerd: round(settled.workerd), sqld: round(settled.sqld), recycledAfterS: settled.recycledAfterS },
    scenarios: results,
    ...(semantic ? { semantic } : {}),
  };
  fs.writeFileSync(RESULTS, JSON.stringify(record, null, 2) + '\n');
  console.log(`written to ${path.relative(ROOT, RESULTS)}`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
} finally {
  await stack.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (results.every((r) => r.ok !== false)) fs.rmSync(STACK_LOG, { force: true });
}
