/**
 * A wiki's repository as the wiki worker uses it: the bare repo in the disk
 * service plus its head row in sqld. Created on first use with a Home page,
 * so wikis made by the platform or the admin CLI need no extra step.
 */
import { eq } from 'drizzle-orm';
import { wikiRepos, wikis } from '../../../db/schema.ts';
import type { Db } from '../../lib/db.ts';
import type { Wiki } from '../../lib/directory/wikis.ts';
import type { Identity } from '../git/commit-identity.ts';
import { initRepository } from '../git/init-repository.ts';
import { ObjectReader } from '../git/object-reader.ts';
import { headCommit } from '../git/refs.ts';
import { forgetWikiState } from '../directory-cache.ts';
import { diskFs } from '../storage/disk-fs.ts';
import { createRepoState, readRepoState, type RepoState } from '../storage/repo-state.ts';
import { repositoryDir } from '../storage/repository-dir.ts';
import type { Repository } from './repository-handle.ts';
import { reconcileIndex } from './reconcile.ts';

export type { Repository } from './repository-handle.ts';

export function openRepository(db: Db, disk: Fetcher, wiki: Wiki): Repository {
  const fs = diskFs(disk);
  const gitdir = repositoryDir(wiki.id);
  return { wiki, db, fs, gitdir, reader: new ObjectReader(fs, gitdir) };
}

/** Who commits what the platform itself writes (a new wiki's first page). */
export function systemIdentity(apex: string): Identity {
  return { name: 'Wikifarm', email: `system@${apex}` };
}

function homePage(wiki: Wiki): string {
  const about = wiki.description ? `${wiki.description}\n\n` : '';
  return `# ${wiki.title}\n\n${about}This is the home page of the wiki. Edit it, or make new pages by linking to them: [[Getting Started]].\n`;
}

/**
 * The repository's state, creating the repository if this is its first use,
 * and bringing a lagging index up to the head (after a crash or a push).
 * `known` is the state the caller already read (saves a query).
 */
export async function ensureRepository(repo: Repository, apex: string, known?: RepoState | null): Promise<RepoState & { headCommit: string }> {
  let state = known !== undefined ? known : await readRepoState(repo.db, repo.wiki.id);
  if (!state?.headCommit) {
    // A repository already on disk (an import, or a crash before its row was written) is adopted as it is.
    const onDisk = await headCommit(repo.fs, repo.gitdir);
    const head =
      onDisk ??
      (await initRepository(repo.fs, repo.gitdir, {
        homePage: { path: 'Home.md', content: homePage(repo.wiki) },
        author: systemIdentity(apex),
        message: 'Initial commit',
      }));
    await createRepoState(repo.db, repo.wiki.id, head);
    state = (await readRepoState(repo.db, repo.wiki.id))!;
    forgetWikiState(repo.wiki.slug);
  }
  if (state.indexedCommit !== state.headCommit) {
    await reconcileIndex(repo);
    state = (await readRepoState(repo.db, repo.wiki.id))!;
    forgetWikiState(repo.wiki.slug);
  }
  return state as RepoState & { headCommit: string };
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
