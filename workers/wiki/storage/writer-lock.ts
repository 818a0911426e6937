/**
 * Serialises writers to one wiki inside this isolate, so concurrent writes
 * queue instead of racing to the head compare-and-swap (which still guards
 * writers in other processes). Holds no state a restart would need.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withWriterLock<T>(wikiId: string, job: () => Promise<T>): Promise<T> {
  const previous = tails.get(wikiId) ?? Promise.resolve();
  const run = previous.then(job, job);
  const tail = run.catch(() => {});
  tails.set(wikiId, tail);
  try {
    return await run;
  } finally {
    if (tails.get(wikiId) === tail) tails.delete(wikiId);
  }
}
