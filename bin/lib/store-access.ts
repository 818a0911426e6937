/**
 * The store for one-off programs (admin CLI, index rebuilds): the running
 * stack's sqld when there is one, otherwise a private sqld started on the data
 * directory for the length of the job, under the data-directory lock.
 */
import { openDb, type Db } from '../../workers/lib/db.ts';
import { prepareDataDir } from './data-dir.ts';
import { DataDirLock, liveOwner } from './lock.ts';
import { migrateStore } from './migrate.ts';
import { startSqld } from './sqld.ts';

/**
 * The running stack remembers directory rows for up to a second
 * (workers/wiki/directory-cache.ts); telling it makes a revocation count at
 * once. A stack that does not answer is still bounded by that second.
 */
async function tellDirectoryChanged(internalUrl: string): Promise<void> {
  try {
    await fetch(`${internalUrl}/internal/directory-changed`, { method: 'POST', signal: AbortSignal.timeout(2000) });
  } catch {
    // best effort
  }
}

export async function withStore<T>(dataDir: string, job: (db: Db) => Promise<T>, options: { changesDirectory?: boolean } = {}): Promise<T> {
  const paths = prepareDataDir(dataDir);
  const owner = liveOwner(paths.run);
  if (owner?.kind === 'stack' && owner.sqldUrl) {
    const { db, client } = openDb({ url: owner.sqldUrl });
    try {
      return await job(db);
    } finally {
      client.close();
      if (options.changesDirectory && owner.internalUrl) await tellDirectoryChanged(owner.internalUrl);
    }
  }
  const lock = DataDirLock.acquire(paths.run, 'cli');
  try {
    const sqld = await startSqld({ dbPath: paths.sqld, host: '127.0.0.1', port: 0, log: () => {} });
    lock.update({ sqldUrl: sqld.url, children: sqld.child.pid ? [sqld.child.pid] : [] });
    const { db, client } = openDb({ url: sqld.url });
    try {
      await migrateStore(db);
      return await job(db);
    } finally {
      client.close();
      await sqld.child.stop();
    }
  } finally {
    lock.release();
  }
}
