import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withWriterLock } from './writer-lock.ts';

it('runs one job per wiki at a time, each once, and lets other wikis run alongside', async () => {
  let inside = 0;
  let most = 0;
  const ran: number[] = [];
  const job = (i: number) => async () => {
    inside++;
    most = Math.max(most, inside);
    await sleep(1 + (i % 3));
    inside--;
    ran.push(i);
    return i;
  };
  let otherWikiRan = false;
  const results = await Promise.all([
    ...Array.from({ length: 20 }, (_, i) => withWriterLock('wiki-a', job(i))),
    withWriterLock('wiki-b', async () => {
      otherWikiRan = inside > 0; // wiki-a is busy at the same moment
    }),
  ]);
  assert.equal(most, 1, 'never two writers of one wiki at once');
  assert.deepEqual([...ran].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(results.slice(0, 20), Array.from({ length: 20 }, (_, i) => i));
  assert.ok(otherWikiRan, 'another wiki does not wait');
});

it('releases the lock when a job fails', async () => {
  await assert.rejects(withWriterLock('wiki-c', async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await withWriterLock('wiki-c', async () => 'next'), 'next');
});
