/**
 * Creating a wiki's bare repository: `HEAD` → `refs/heads/main` and a first
 * commit holding the home page (the disk service cannot hold empty folders,
 * so a repository only becomes real with its first objects; runtime.md §5.1).
 */
import git from 'isomorphic-git';
import { AppError } from '../../lib/errors.ts';
import { commitChanges } from './commit-changes.ts';
import type { Identity } from './commit-identity.ts';
import { fsClient, type GitFs, MAIN_BRANCH } from './git-fs.ts';
import { headCommit, updateBranch } from './refs.ts';

/** The first commit of a new wiki. */
export interface InitRepositoryOptions {
  homePage: { path: string; content: Uint8Array | string };
  author: Identity;
  /** Defaults to the author. */
  committer?: Identity;
  message: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
}

/**
 * Initialises a bare repository at `gitdir` whose default branch is `main`
 * (with `core.ignorecase = false`: page names are case-sensitive), commits the
 * home page and points `main` at it. Returns the commit id. Safe to retry
 * after a crash before the first commit; throws `conflict` if the repository
 * already has a commit.
 */
export async function initRepository(fs: GitFs, gitdir: string, options: InitRepositoryOptions): Promise<string> {
  if ((await headCommit(fs, gitdir)) !== null) {
    throw new AppError('conflict', 'This repository already has commits.');
  }
  const client = fsClient(fs);
  await git.init({ fs: client, gitdir, bare: true, defaultBranch: MAIN_BRANCH });
  await git.setConfig({ fs: client, gitdir, path: 'core.ignorecase', value: false });
  const result = await commitChanges(fs, gitdir, {
    parent: null,
    changes: [{ path: options.homePage.path, content: options.homePage.content }],
    author: options.author,
    committer: options.committer,
    message: options.message,
    timestamp: options.timestamp,
  });
  if (result.commit === null) throw new AppError('invalid', 'The first commit of a wiki must contain its home page.');
  await updateBranch(fs, gitdir, result.commit);
  return result.commit;
}
