/**
 * Reverting a commit: a new commit that undoes its changes, refused (with the
 * files named) when a later commit changed the same files since.
 */
import { and, eq, like } from 'drizzle-orm';
import { wikiCommits } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import type { TreeChange } from '../git/commit-changes.ts';
import type { Identity } from '../git/commit-identity.ts';
import { diffCommits } from '../git/diff-trees.ts';
import { readFileAt } from '../git/read-files.ts';
import { checkRevision } from './pages.ts';
import type { Repository } from './repository.ts';
import { commitWrite } from './write.ts';

export async function revertCommit(repo: Repository, apex: string, revision: string, input: { author: Identity; message?: string }): Promise<{ reverted: string; revision: string; changed: string[] }> {
  checkRevision(revision);
  const found = await repo.db.select().from(wikiCommits).where(and(eq(wikiCommits.wikiId, repo.wiki.id), like(wikiCommits.oid, `${revision}%`))).limit(2);
  if (found.length === 0) throw new AppError('not_found', `No revision ${revision} in this wiki.`);
  if (found.length > 1) throw new AppError('invalid', `The revision prefix ${revision} is ambiguous; give more characters.`);
  const target = found[0]!;
  const result = await commitWrite(repo, apex, {
    author: input.author,
    message: input.message?.trim() || `Revert ${target.oid.slice(0, 7)}: ${target.message.split('\n')[0]}`,
    changes: async (head) => {
      const diff = await diffCommits(repo.fs, repo.gitdir, target.parent, target.oid);
      const changes: TreeChange[] = [];
      const changedSince: string[] = [];
      for (const d of diff) {
        const now = await readFileAt(repo.fs, repo.gitdir, head, d.path);
        if ((now?.oid ?? undefined) !== d.newOid) changedSince.push(d.path);
        else if (d.oldOid) changes.push({ path: d.path, oid: d.oldOid });
        else changes.push({ path: d.path, delete: true });
      }
      if (changedSince.length) {
        throw new AppError('conflict', `Cannot revert ${target.oid.slice(0, 7)}: later changes touched ${changedSince.join(', ')}. Revert those first, or edit the pages by hand.`, { files: changedSince });
      }
      return changes;
    },
  });
  return { reverted: target.oid, revision: result.commit ?? (result as { head: string }).head, changed: result.commit ? result.changed : [] };
}
