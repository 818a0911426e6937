/**
 * Health reports: the gateway itself, one worker, or every worker with the
 * store, the disk and the RPC bindings behind them. The public socket gets
 * each check's verdict and timing; only the internal socket gets the error
 * texts, which may quote configuration.
 */
import type { HealthReport } from '../lib/worker/health.ts';
import { healthResponse, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';
import { bindingFor, type Env } from './env.ts';
import { WORKERS, type WorkerName } from '../lib/edge/routes.ts';

const TIMEOUT_MS = 3000;

async function askWorker(env: Env, worker: WorkerName, requestId: string): Promise<HealthReport> {
  try {
    const res = await bindingFor(env, worker).fetch(
      new Request(`http://internal${WORKER_HEALTH_PATH}`, { headers: { 'x-request-id': requestId }, signal: AbortSignal.timeout(TIMEOUT_MS) }),
    );
    return (await res.json()) as HealthReport;
  } catch (err) {
    return { worker, ok: false, checks: { reachable: { ok: false, ms: TIMEOUT_MS, error: String(err) } } };
  }
}

function withoutErrorTexts(report: HealthReport): HealthReport {
  const checks = Object.fromEntries(Object.entries(report.checks).map(([name, { ok, ms }]) => [name, { ok, ms }]));
  return { ...report, checks };
}

export async function gatherHealth(env: Env, which: WorkerName | 'gateway' | 'all', options: { requestId: string; detail: boolean }): Promise<Response> {
  const shown = options.detail ? (r: HealthReport) => r : withoutErrorTexts;
  if (which === 'gateway') return healthResponse({ worker: 'gateway', ok: true, checks: {} });
  if (which !== 'all') return healthResponse(shown(await askWorker(env, which, options.requestId)));
  const reports = await Promise.all(WORKERS.map((w) => askWorker(env, w, options.requestId)));
  const ok = reports.every((r) => r.ok);
  const workers = Object.fromEntries(reports.map((r) => [r.worker, shown(r)]));
  return Response.json({ ok, workers }, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
