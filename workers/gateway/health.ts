/** `/healthz`: the gateway itself, one worker, or all of them with the store behind them. */
import type { HealthReport } from '../lib/worker/health.ts';
import { healthResponse } from '../lib/worker/health.ts';
import { bindingFor, type Env } from './env.ts';
import { WORKERS, type WorkerName } from './routes.ts';

const TIMEOUT_MS = 3000;

async function askWorker(env: Env, worker: WorkerName, request: Request): Promise<HealthReport> {
  try {
    const res = await bindingFor(env, worker).fetch(new Request('http://internal/healthz', { headers: request.headers, signal: AbortSignal.timeout(TIMEOUT_MS) }));
    return (await res.json()) as HealthReport;
  } catch (err) {
    return { worker, ok: false, checks: { reachable: { ok: false, ms: TIMEOUT_MS, error: String(err) } } };
  }
}

export async function gatherHealth(env: Env, which: WorkerName | 'gateway' | 'all', request: Request): Promise<Response> {
  if (which === 'gateway') return healthResponse({ worker: 'gateway', ok: true, checks: {} });
  if (which !== 'all') return healthResponse(await askWorker(env, which, request));
  const reports = await Promise.all(WORKERS.map((w) => askWorker(env, w, request)));
  const workers = Object.fromEntries(reports.map((r) => [r.worker, r]));
  const ok = reports.every((r) => r.ok);
  return Response.json({ ok, workers }, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
