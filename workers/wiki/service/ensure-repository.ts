/**
 * Creating a wiki's repository on first use (with a Home page, so wikis made
 * by the platform or the admin CLI need no extra step) and catching a lagging
 * index up. Runtime-neutral: the wiki worker uses it over the disk service,
 * the admin CLI (imports) over Node's fs.
 */
import type { Wiki } from '../../lib/directory/wikis.ts';
import type { Identity } from '../git/commit-identity.ts';
import { initRepository } from '../git/init-repository.ts';
import { headCommit } from '../git/refs.ts';
import { forgetWikiState } from '../directory-cache.ts';
import { createRepoState, readRepoState, type RepoState } from '../storage/repo-state.ts';
import type { Repository } from './repository-handle.ts';
import { reconcileIndex } from './reconcile.ts';

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
