/** `/healthz`: the gateway itself, one worker, or all of them with the store behind them. */
import type { HealthReport } from '../lib/worker/health.ts';
import { healthResponse } from '../lib/worker/health.ts';
import { bindingFor, type Env } from './env.ts';
import { WORKERS, type WorkerName } from './routes.ts';

const TIMEOUT_MS = 3000;

function healthRequest(request: Request): Request {
  return new Request('http://internal/healthz', { headers: request.headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

function unreachable(worker: WorkerName, err: unknown): HealthReport {
  return { worker, ok: false, checks: { reachable: { ok: false, ms: TIMEOUT_MS, error: String(err) } } };
}

async function askWorker(env: Env, worker: WorkerName, request: Request): Promise<HealthReport> {
  try {
    return (await (await bindingFor(env, worker).fetch(healthRequest(request))).json()) as HealthReport;
  } catch (err) {
    return unreachable(worker, err);
  }
}

export async function gatherHealth(env: Env, which: WorkerName | 'gateway' | 'all', request: Request): Promise<Response> {
  if (which === 'gateway') return healthResponse({ worker: 'gateway', ok: true, checks: {} });
  if (which !== 'all') {
    try {
      return await bindingFor(env, which).fetch(healthRequest(request));
    } catch (err) {
      return healthResponse(unreachable(which, err));
    }
  }
  const reports = await Promise.all(WORKERS.map((w) => askWorker(env, w, request)));
  const workers = Object.fromEntries(reports.map((r) => [r.worker, r]));
  const ok = reports.every((r) => r.ok);
  return Response.json({ ok, workers }, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
