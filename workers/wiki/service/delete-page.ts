/**
 * Deleting a page together with its attachments in one commit, as Otterwiki's
 * web UI does by default, so that no file is left behind that no page lists.
 */
import { and, eq } from 'drizzle-orm';
import { attachments } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import type { TreeChange } from '../git/commit-changes.ts';
import type { Identity } from '../git/commit-identity.ts';
import { attachmentFilesAt } from '../index/page-files-at.ts';
import { checkRevision, pageFilePathsAt, pageRow } from './pages.ts';
import type { Repository } from './repository.ts';
import { commitWrite } from './write.ts';

/** What {@link deletePage} removed. */
export interface DeletedPage {
  path: string;
  revision: string;
  /** Names of the attachments deleted with the page. */
  attachments: string[];
}

/**
 * Deletes page `key` and every attachment in its folder (subpages stay).
 *
 * @throws AppError `not_found` when the page does not exist, `conflict` when it changed since `baseRevision`
 */
export async function deletePage(repo: Repository, apex: string, key: string, input: { author: Identity; message?: string; baseRevision?: string }): Promise<DeletedPage> {
  const removed: string[] = [];
  const result = await commitWrite(repo, apex, {
    author: input.author,
    message: input.message?.trim() || `Delete ${key}`,
    changes: async (head) => {
      const row = await pageRow(repo, key);
      if (!row) throw new AppError('not_found', `Page not found: ${key}`);
      if (input.baseRevision && !row.updatedCommit.startsWith(checkRevision(input.baseRevision))) {
        throw new AppError('conflict', 'The page has changed since you read it.', { current_revision: row.updatedCommit });
      }
      const listed = await repo.db.select({ name: attachments.name, filePath: attachments.filePath }).from(attachments).where(and(eq(attachments.wikiId, repo.wiki.id), eq(attachments.page, key)));
      const found = await attachmentFilesAt(repo.reader, await repo.reader.rootTree(head), key);
      // Every file of the page and of its attachments: a twin left behind would become the page or the attachment.
      const paths = [...(await pageFilePathsAt(repo, head, key, row.filePath)), ...listed.map((f) => f.filePath), ...found.map((f) => f.path)];
      removed.splice(0, removed.length, ...new Set([...listed, ...found].map((f) => f.name)));
      return [...new Set(paths)].map((path): TreeChange => ({ path, delete: true }));
    },
  });
  return { path: key, revision: result.commit ?? (result as { head: string }).head, attachments: removed.sort() };
}
