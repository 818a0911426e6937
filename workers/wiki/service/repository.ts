/**
 * A wiki's repository as the wiki worker uses it: the bare repo in the disk
 * service plus its head row in sqld. Created on first use with a Home page,
 * so wikis made by the platform or the admin CLI need no extra step.
 */
import { waitUntil } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { wikiRepos, wikis } from '../../../db/schema.ts';
import type { Db } from '../../lib/db.ts';
import type { Wiki } from '../../lib/directory/wikis.ts';
import { ObjectReader } from '../git/object-reader.ts';
import { diskFs } from '../storage/disk-fs.ts';
import type { RepoState } from '../storage/repo-state.ts';
import { repositoryDir } from '../storage/repository-dir.ts';
import type { Repository } from './repository-handle.ts';

export type { Repository } from './repository-handle.ts';
// Runtime-neutral (the admin CLI uses them on Node's fs too).
export { ensureRepository, systemIdentity } from './ensure-repository.ts';

export function openRepository(db: Db, disk: Fetcher, wiki: Wiki): Repository {
  const fs = diskFs(disk);
  const gitdir = repositoryDir(wiki.id);
  return { wiki, db, fs, gitdir, reader: new ObjectReader(fs, gitdir), defer: waitUntil };
}

/** A wiki by slug together with its repository state, in one query (every wiki request starts here). */
export async function wikiWithRepoState(db: Db, slug: string): Promise<{ wiki: Wiki; state: RepoState | null } | null> {
  const [row] = await db
    .select({ wiki: wikis, headCommit: wikiRepos.headCommit, indexedCommit: wikiRepos.indexedCommit })
    .from(wikis)
    .leftJoin(wikiRepos, eq(wikiRepos.wikiId, wikis.id))
    .where(eq(wikis.slug, slug));
  if (!row) return null;
  return { wiki: row.wiki, state: row.headCommit === null && row.indexedCommit === null ? null : { headCommit: row.headCommit, indexedCommit: row.indexedCommit } };
}
