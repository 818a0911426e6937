/**
 * Serialises writers to one wiki inside this isolate, so concurrent writes
 * queue instead of racing to the head compare-and-swap (which still guards
 * writers in other processes, and any holder this lock gives up on). Holds
 * no state a restart would need.
 *
 * A waiter never depends on another request alone to wake it: workerd
 * cancels a request as hung ("code had hung") when all it awaits is a promise
 * that only another request's I/O can settle. So a waiter races the
 * holder's release against a short timer of its own and looks again, and a
 * holder whose request died without releasing (cancelled mid-write) is given
 * up on after `STALE_MS`.
 */
interface Holder {
  since: number;
  released: Promise<void>;
  release: () => void;
}

const holders = new Map<string, Holder>();

/** How long a waiter sleeps before it looks again, at most. */
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
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const mine = { since: Date.now(), released, release };
      holders.set(wikiId, mine);
      return mine;
    }
    await Promise.race([current.released, sleep(POLL_MS)]);
  }
}

export async function withWriterLock<T>(wikiId: string, job: () => Promise<T>): Promise<T> {
  const mine = await acquire(wikiId);
  try {
    return await job();
  } finally {
    if (holders.get(wikiId) === mine) holders.delete(wikiId);
    mine.release();
  }
}
