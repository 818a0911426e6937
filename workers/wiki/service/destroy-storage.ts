/**
 * Removing what a deleted wiki left on disk. The platform deletes the wiki's
 * row first (so nothing can open it any more), then asks for this: a failure
 * here leaves an unreachable directory, never a live wiki without history.
 */
import { eq } from 'drizzle-orm';
import { wikis } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { dbFor } from '../../lib/worker/db.ts';
import type { Env } from '../context.ts';
import { forgetDirectory } from '../directory-cache.ts';
import { mirrorIdle } from '../git/branch-mirror.ts';
import { isWikiId, removeRepository, repositoryDir } from '../storage/repository-dir.ts';
import { withWriterLock } from '../storage/writer-lock.ts';

export async function destroyWikiStorage(env: Env, wikiId: string): Promise<{ removed: boolean }> {
  if (!isWikiId(wikiId)) throw new AppError('invalid', 'That is not a wiki id.');
  const [live] = await dbFor(env).select({ id: wikis.id }).from(wikis).where(eq(wikis.id, wikiId));
  if (live) throw new AppError('conflict', 'The wiki still exists: delete it first, then its storage.');
  forgetDirectory();
  // After any write of this isolate already under way (and its ref mirror), so none recreates files behind the removal.
  const removed = await withWriterLock(wikiId, async () => {
    await mirrorIdle(repositoryDir(wikiId));
    return removeRepository(env.DISK, wikiId);
  });
  return { removed };
}
