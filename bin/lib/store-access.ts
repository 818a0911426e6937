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

export async function withStore<T>(dataDir: string, job: (db: Db) => Promise<T>): Promise<T> {
  const paths = prepareDataDir(dataDir);
  const owner = liveOwner(paths.run);
  if (owner?.kind === 'stack' && owner.sqldUrl) {
    const { db, client } = openDb({ url: owner.sqldUrl });
    try {
      return await job(db);
    } finally {
      client.close();
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
