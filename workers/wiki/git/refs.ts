/** The `main` branch of a wiki repository: where it points, and moving it. */
import git from 'isomorphic-git';
import { AppError } from '../../lib/errors.ts';
import { fsClient, type GitFs, isNotFoundError, isOid, MAIN_REF } from './git-fs.ts';

/**
 * The commit `refs/heads/main` points at, or `null` when the repository has
 * no commit yet (or does not exist).
 */
export async function headCommit(fs: GitFs, gitdir: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs: fsClient(fs), gitdir, ref: MAIN_REF });
  } catch (err) {
    if (isNotFoundError(err)) return null;
    throw err;
  }
}

/**
 * Points `refs/heads/main` at `oid` (force, no compare): the caller holds the
 * repository's writer lock and has checked that the branch still points at
 * the new commit's parent.
 */
export async function updateBranch(fs: GitFs, gitdir: string, oid: string): Promise<void> {
  if (!isOid(oid)) throw new AppError('invalid', `${JSON.stringify(oid)} is not a commit id.`);
  // The ref file as git writes it, in one write (isomorphic-git's writeRef first stats the gitdir).
  const files = fs.promises as unknown as { writeFile(path: string, data: string): Promise<void> };
  await files.writeFile(`${gitdir}/${MAIN_REF}`, `${oid}\n`);
}
