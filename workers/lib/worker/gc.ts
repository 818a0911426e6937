/**
 * V8 collects an isolate's old generation lazily, and the JS wrappers of
 * requests, responses and streams that died there hold their native memory
 * until it does: under steady load a worker process grew by 150–250 MB of
 * memory that nothing used (measured: 330 MB after a page-view run, 210 MB
 * with this). With V8's `--expose-gc` (config.capnp's v8Flags), each busy
 * isolate asks for a full collection at most once per `GC_INTERVAL_MS`,
 * after an answer has gone out, and so once more after the last answer of
 * a burst (the garbage of a burst's final second, or of one long request
 * such as a large push, is not kept until the next request). Without the
 * flag (elsewhere) it does nothing.
 */
const GC_INTERVAL_MS = 1000;
/** When the last collection ran. */
let last = 0;
/** When the scheduled collection is due (0: none). Past due by a whole interval, it was lost with its request. */
let due = 0;

/** Called once per request with the request's `waitUntil`. */
export function collectGarbageSoon(waitUntil: (work: Promise<unknown>) => void): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  const now = Date.now();
  if (due !== 0 && now < due + GC_INTERVAL_MS) return; // one is scheduled: it collects this request's garbage too
  const delay = Math.max(0, last + GC_INTERVAL_MS - now);
  due = now + delay;
  waitUntil(
    new Promise<void>((resolve) =>
      setTimeout(() => {
        due = 0;
        last = Date.now();
        gc();
        resolve();
      }, delay),
    ),
  );
}
