/** The data-directory lock: one owner, dead owners' locks broken and their servers stopped. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { tempDir } from '../../test/helpers/temp.ts';
import { processAlive } from './child.ts';
import { StartupError } from './fail.ts';
import { DataDirLock, liveOwner, ownerFile, readOwner } from './lock.ts';
import { startSqld } from './sqld.ts';

/** A pid that certainly belongs to no process now. */
function deadPid(): number {
  let pid = 4_000_000;
  while (processAlive(pid)) pid--;
  return pid;
}

it('admits one owner at a time and names the holder', () => {
  const dir = tempDir('wikifarm-lock-');
  const lock = DataDirLock.acquire(dir, 'stack');
  lock.update({ gatewayUrl: 'http://127.0.0.1:1' });
  assert.equal(readOwner(dir)?.gatewayUrl, 'http://127.0.0.1:1');
  assert.throws(() => DataDirLock.acquire(dir, 'cli'), (e: unknown) => e instanceof StartupError && /already running.*http:\/\/127\.0\.0\.1:1/.test(e.message));
  lock.release();
  assert.equal(fs.existsSync(ownerFile(dir)), false);
  DataDirLock.acquire(dir, 'cli').release();
});

it("breaks a dead owner's lock and stops the sqld it left running", async () => {
  const dir = tempDir('wikifarm-lock-');
  const orphan = await startSqld({ dbPath: path.join(dir, 'db'), host: '127.0.0.1', port: 0, log: () => {} });
  fs.writeFileSync(ownerFile(dir), JSON.stringify({ pid: deadPid(), kind: 'stack', startedAt: 0, children: [orphan.child.pid] }));
  const lock = DataDirLock.acquire(dir, 'stack');
  await orphan.child.exited;
  assert.equal(orphan.child.alive, false, 'the orphan was stopped');
  assert.equal(readOwner(dir)?.pid, process.pid);
  lock.release();
});

it('leaves alone a pid that is no longer one of our servers', () => {
  const dir = tempDir('wikifarm-lock-');
  fs.writeFileSync(ownerFile(dir), JSON.stringify({ pid: deadPid(), kind: 'stack', startedAt: 0, children: [process.pid] }));
  assert.equal(liveOwner(dir), null);
  assert.ok(processAlive(process.pid), 'this test process was not killed');
});

it('treats a damaged lock file as stale once it is old, and refuses while it may be being written', () => {
  const dir = tempDir('wikifarm-lock-');
  fs.writeFileSync(ownerFile(dir), '');
  assert.throws(() => DataDirLock.acquire(dir, 'stack'), (e: unknown) => e instanceof StartupError && /cannot be read/.test(e.message));
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(ownerFile(dir), old, old);
  DataDirLock.acquire(dir, 'stack').release();
});
