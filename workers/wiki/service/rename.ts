/**
 * Renaming a page: the page file, its attachments, and every link to it in
 * other pages move together in one commit, so history never shows a wiki
 * with broken links in between.
 */
import { and, eq } from 'drizzle-orm';
import { pageLinks, pages } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import type { TreeChange } from '../git/commit-changes.ts';
import type { Identity } from '../git/commit-identity.ts';
import { attachmentDirOfFile } from '../pages/attachments.ts';
import { rewritePageLinks } from '../pages/link-rewrite.ts';
import { pageFilePath } from '../pages/page-files.ts';
import { checkNewPageName } from '../pages/page-name.ts';
import { attachmentFilesAt } from '../index/page-files-at.ts';
import { checkRevision, pageFilePathsAt, pageRow } from './pages.ts';
import type { Repository } from './repository.ts';
import { commitWrite } from './write.ts';

export interface RenameResult {
  old_path: string;
  new_path: string;
  revision: string;
  updated_pages: string[];
  /** Pages that link to the old name but were left as they are (their text is not UTF-8): edit them by hand. */
  unchanged_pages: string[];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A page's text, or null when it is not UTF-8 (pushed that way): such a page is moved as it is, never re-encoded. */
function textOf(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

export async function renamePage(repo: Repository, apex: string, oldKey: string, newKey: string, input: { author: Identity; message?: string; baseRevision?: string }): Promise<RenameResult> {
  if (oldKey === newKey) throw new AppError('invalid', 'The new name is the same as the current one.');
  checkNewPageName(newKey);
  const updated: string[] = [];
  const unchanged: string[] = [];
  const result = await commitWrite(repo, apex, {
    author: input.author,
    message: input.message?.trim() || `Rename ${oldKey} to ${newKey}`,
    changes: async (head) => {
      const page = await pageRow(repo, oldKey);
      if (!page) throw new AppError('not_found', `Page not found: ${oldKey}`);
      if (input.baseRevision && !page.updatedCommit.startsWith(checkRevision(input.baseRevision))) {
        throw new AppError('conflict', 'The page has changed since you read it.', { current_revision: page.updatedCommit });
      }
      if (await pageRow(repo, newKey)) throw new AppError('conflict', `A page already exists at: ${newKey}`);
      const newFile = pageFilePath(newKey);
      const newDir = attachmentDirOfFile(newFile);
      const rename = { from: oldKey, to: newKey };
      // The page's own links move with it: links to itself, and `./` links that would lead elsewhere from its new place.
      const own = textOf(await repo.reader.blob(page.blobOid));
      const ownRewritten = own === null ? null : rewritePageLinks(own, rename, { page: oldKey, after: newKey });
      // The page leaves every file it has: a legacy twin left behind would become the page at the old name.
      const changes: TreeChange[] = (await pageFilePathsAt(repo, head, oldKey, page.filePath)).map((path): TreeChange => ({ path, delete: true }));
      changes.push(ownRewritten === null || ownRewritten === own ? { path: newFile, oid: page.blobOid } : { path: newFile, content: ownRewritten });
      // Each attachment moves as the file that is it now; its twins in other folders of the page go.
      const moved = new Set<string>();
      for (const f of await attachmentFilesAt(repo.reader, await repo.reader.rootTree(head), oldKey)) {
        changes.push({ path: f.path, delete: true });
        if (!moved.has(f.name)) changes.push({ path: `${newDir}${f.name}`, oid: f.oid });
        moved.add(f.name);
      }

      const linking = await repo.db
        .select({ path: pages.path, filePath: pages.filePath, blobOid: pages.blobOid })
        .from(pageLinks)
        .innerJoin(pages, and(eq(pages.wikiId, pageLinks.wikiId), eq(pages.path, pageLinks.src)))
        .where(and(eq(pageLinks.wikiId, repo.wiki.id), eq(pageLinks.dst, oldKey)));
      for (const p of linking) {
        if (p.path === oldKey) continue; // rewritten above
        const text = textOf(await repo.reader.blob(p.blobOid));
        if (text === null) {
          unchanged.push(p.path);
          continue;
        }
        const rewritten = rewritePageLinks(text, rename, { page: p.path });
        if (rewritten !== text) {
          changes.push({ path: p.filePath, content: rewritten });
          updated.push(p.path);
        }
      }
      return changes;
    },
  });
  return { old_path: oldKey, new_path: newKey, revision: result.commit ?? (result as { head: string }).head, updated_pages: updated.sort(), unchanged_pages: unchanged.sort() };
}
