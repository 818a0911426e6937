/** Health checks shared by the workers' `/healthz` routes and RPC `health()` methods. */
import { sql } from 'drizzle-orm';
import type { Db } from '../db.ts';

/**
 * Where each worker answers its health check, for the gateway only: the
 * gateway never forwards a public request whose path starts with `/__`.
 */
export const WORKER_HEALTH_PATH = '/__health';

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface HealthReport {
  worker: string;
  ok: boolean;
  checks: Record<string, CheckResult>;
}

/** Runs a check, timing it; a failure is reported, never thrown. */
export async function runCheck(fn: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  try {
    await fn();
    return { ok: true, ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    return { ok: false, ms: Math.round((performance.now() - started) * 10) / 10, error: err instanceof Error ? err.message : String(err) };
  }
}

export function dbCheck(db: Db): Promise<CheckResult> {
  return runCheck(() => db.run(sql`select 1`));
}

export async function healthReport(worker: string, checks: Record<string, Promise<CheckResult>>): Promise<HealthReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(Object.values(checks));
  const out: Record<string, CheckResult> = {};
  names.forEach((n, i) => (out[n] = results[i]!));
  return { worker, ok: results.every((r) => r.ok), checks: out };
}

export function healthResponse(report: HealthReport): Response {
  return Response.json(report, { status: report.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
