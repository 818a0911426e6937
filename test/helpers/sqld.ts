/** A real sqld on an ephemeral loopback port with a fresh database, migrated. */
import fs from 'node:fs';
import path from 'node:path';
import { migrateStore } from '../../bin/lib/migrate.ts';
import { startSqld } from '../../bin/lib/sqld.ts';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { tempDir } from './temp.ts';

export interface TestSqld {
  db: Db;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startTestSqld(options: { migrate?: boolean } = {}): Promise<TestSqld> {
  const dir = tempDir('wikifarm-sqld-');
  const { child, url } = await startSqld({ dbPath: path.join(dir, 'db'), host: '127.0.0.1', port: 0, log: () => {} });
  const { db, client } = openDb({ url });
  if (options.migrate !== false) await migrateStore(db);
  return {
    db,
    url,
    dir,
    async stop() {
      client.close();
      await child.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
