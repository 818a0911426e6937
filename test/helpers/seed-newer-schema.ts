/** Makes <data dir> look as if a newer release had migrated it: one migration this code does not know. */
import { sql } from 'drizzle-orm';
import { withStore } from '../../bin/lib/store-access.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: seed-newer-schema.ts <data dir>');
await withStore(dataDir, (db) => db.run(sql`insert into __drizzle_migrations (hash, created_at) values ('from-the-future', 99999999999999)`));
