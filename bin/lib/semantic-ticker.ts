/**
 * The clock of meaning-based search. workerd has no cron, so while an
 * embedding provider is configured the supervisor asks the wiki worker, on
 * the internal socket, to drain the freshness queue (`POST
 * /internal/semantic/drain`) about once a second, one request at a time.
 *
 * The wiki worker also drains right after each write (`waitUntil`), so this
 * is not what makes search fresh; it is what makes the queue durable in
 * practice: rows left by a restart, a provider outage (the worker backs off),
 * a lapsed lease or a push the reconciler indexed are picked up within a
 * second or two without any write to trigger them.
 */

export interface SemanticTicker {
  stop(): Promise<void>;
}

export function startSemanticTicker(internalUrl: () => string, options: { intervalMs?: number; log?: (line: string) => void } = {}): SemanticTicker {
  const interval = options.intervalMs ?? 1000;
  let stopped = false;
  let wake: (() => void) | null = null;
  let current: AbortController | null = null;
  let lastError = '';
  const loop = (async () => {
    while (!stopped) {
      current = new AbortController();
      const timeout = setTimeout(() => current?.abort(), 60_000);
      try {
        const res = await fetch(`${internalUrl()}/internal/semantic/drain`, { method: 'POST', signal: current.signal });
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        const error = res.ok ? (body.error ?? '') : `HTTP ${res.status}`;
        if (error && error !== lastError) options.log?.(`[semantic] drain: ${error}`);
        lastError = error;
      } catch {
        // workerd restarting or stopping: try again on the next tick
      } finally {
        clearTimeout(timeout);
      }
      if (stopped) break;
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, interval).unref();
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      current?.abort();
      wake?.();
      await loop;
    },
  };
}
