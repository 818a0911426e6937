/**
 * Serialises writers to one wiki inside this isolate, so concurrent writes
 * queue instead of racing to the head compare-and-swap (which still guards
 * writers in other processes, and any holder this lock gives up on). Holds
 * no state a restart would need.
 *
 * A waiter awaits nothing the holder settles, only a short timer of its own,
 * and looks again (as service/head-cache.ts `shared`): workerd cancels a
 * request as hung ("code had hung") when all it awaits is a promise that only
 * another request's I/O can settle, and a continuation woken by another
 * request's promise is not safely its own. A holder whose request died
 * without releasing (cancelled mid-write) is given up on after `STALE_MS`.
 */
interface Holder {
  since: number;
}

const holders = new Map<string, Holder>();

/** How long a waiter sleeps before it looks again. */
const POLL_MS = 2;
/** A write takes milliseconds; a holder this old has died. */
const STALE_MS = 10_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function acquire(wikiId: string): Promise<Holder> {
  for (;;) {
    const current = holders.get(wikiId);
    if (!current || Date.now() - current.since > STALE_MS) {
      const mine = { since: Date.now() };
      holders.set(wikiId, mine);
      return mine;
    }
    await sleep(POLL_MS);
  }
}

export async function withWriterLock<T>(wikiId: string, job: () => Promise<T>): Promise<T> {
  const mine = await acquire(wikiId);
  try {
    return await job();
  } finally {
    if (holders.get(wikiId) === mine) holders.delete(wikiId);
  }
}
