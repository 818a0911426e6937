/**
 * Rebuilding wikis' indexes from their repositories on disk: one wiki (the
 * admin CLI's `wiki reindex`), or at the stack's start every wiki whose index
 * was built with older indexing rules than today's (INDEX_VERSION). The
 * start runs it before workerd serves, so no reader sees an index half
 * rebuilt, and finds nothing to do once every index is current.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eq, lt } from 'drizzle-orm';
import { wikiRepos, wikis } from '../../db/schema.ts';
import type { Db } from '../../workers/lib/db.ts';
import type { Wiki } from '../../workers/lib/directory/wikis.ts';
import { ObjectReader } from '../../workers/wiki/git/object-reader.ts';
import { INDEX_VERSION } from '../../workers/wiki/index/index-version.ts';
import type { ReconcileResult } from '../../workers/wiki/service/reconcile.ts';
import { refillChunkWords } from '../../workers/wiki/semantic/chunk-words.ts';
import { rebuildIndex } from '../../workers/wiki/service/rebuild-index.ts';

/** Where wiki `wikiId`'s bare repository lives under the data directory's `git` folder. */
export function wikiGitDir(gitRoot: string, wikiId: string): string {
  return path.join(gitRoot, `${wikiId}.git`);
}

/** Rebuilds the index of `wiki` from its repository under `gitRoot`. */
export function rebuildIndexOnDisk(db: Db, gitRoot: string, wiki: Wiki): Promise<ReconcileResult> {
  const gitdir = wikiGitDir(gitRoot, wiki.id);
  return rebuildIndex({ wiki, db, fs, gitdir, reader: new ObjectReader(fs, gitdir) });
}

export interface UpgradeResult {
  /** Wikis whose index was rebuilt. */
  rebuilt: number;
  /** Commits replayed in all. */
  commits: number;
}

/**
 * Rebuilds every index older than INDEX_VERSION. A wiki without a head or a
 * repository yet has nothing indexed: it is only marked current.
 */
export async function upgradeIndexes(db: Db, gitRoot: string, log: (line: string) => void): Promise<UpgradeResult> {
  const stale = await db
    .select({ wiki: wikis, headCommit: wikiRepos.headCommit })
    .from(wikiRepos)
    .innerJoin(wikis, eq(wikis.id, wikiRepos.wikiId))
    .where(lt(wikiRepos.indexVersion, INDEX_VERSION));
  const result: UpgradeResult = { rebuilt: 0, commits: 0 };
  if (stale.length === 0) return result;
  const started = performance.now();
  log(`[up] ${stale.length} wiki index(es) were built with older indexing rules; rebuilding them from git (index version ${INDEX_VERSION})`);
  for (const { wiki, headCommit } of stale) {
    // Chunks are not rebuilt from git (they hold embeddings): version 3 only writes their words again.
    const chunks = await refillChunkWords(db, wiki.id);
    if (chunks) log(`[up] ${wiki.slug}: words of ${chunks} semantic chunk(s) written again`);
    if (headCommit === null || !fs.existsSync(wikiGitDir(gitRoot, wiki.id))) {
      await db.update(wikiRepos).set({ indexVersion: INDEX_VERSION }).where(eq(wikiRepos.wikiId, wiki.id));
      continue;
    }
    const { commits } = await rebuildIndexOnDisk(db, gitRoot, wiki);
    result.rebuilt++;
    result.commits += commits;
    log(`[up] ${wiki.slug}: index rebuilt (${commits} commits)`);
  }
  log(`[up] rebuilt ${result.rebuilt} index(es), ${result.commits} commits, in ${Math.round(performance.now() - started)} ms`);
  return result;
}
