/**
 * Partial edits of a page (what agents ask for): an exact find-and-replace
 * that must match once, replacing or adding to one section by heading path,
 * appending or prepending. Each reads the page inside the writer lock and
 * commits through `commitWrite`, so concurrent edits never lose each other.
 */
import { AppError } from '../../lib/errors.ts';
import type { Identity } from '../git/commit-identity.ts';
import { appendText, appendToSection, findReplaceOnce, prependText, prependToSection, replaceSection } from '../edit/index.ts';
import { checkRevision, MAX_PAGE_BYTES, pageRow } from './pages.ts';
import type { Repository } from './repository.ts';
import { commitWrite } from './write.ts';

export type PageEdit =
  | { kind: 'replace'; oldString: string; newString: string }
  | { kind: 'section'; section: string; content: string; keepHeading: boolean }
  | { kind: 'append'; text: string; section?: string }
  | { kind: 'prepend'; text: string; section?: string };

function apply(text: string, edit: PageEdit): string {
  switch (edit.kind) {
    case 'replace':
      return findReplaceOnce(text, edit.oldString, edit.newString);
    case 'section':
      return replaceSection(text, edit.section, edit.content, { keepHeading: edit.keepHeading });
    case 'append':
      return edit.section ? appendToSection(text, edit.section, edit.text) : appendText(text, edit.text);
    case 'prepend':
      return edit.section ? prependToSection(text, edit.section, edit.text) : prependText(text, edit.text);
  }
}

const DEFAULT_MESSAGE: Record<PageEdit['kind'], string> = { replace: 'Edit', section: 'Edit section of', append: 'Append to', prepend: 'Prepend to' };

export async function editPage(repo: Repository, apex: string, key: string, edit: PageEdit, input: { author: Identity; message?: string; baseRevision?: string }): Promise<{ path: string; revision: string; changed: boolean }> {
  if (input.baseRevision !== undefined) checkRevision(input.baseRevision);
  let previous = '';
  const result = await commitWrite(repo, apex, {
    author: input.author,
    message: input.message?.trim() || `${DEFAULT_MESSAGE[edit.kind]} ${key}`,
    changes: async () => {
      const row = await pageRow(repo, key);
      if (!row) throw new AppError('not_found', `Page not found: ${key}`);
      previous = row.updatedCommit;
      if (input.baseRevision && !row.updatedCommit.startsWith(input.baseRevision)) {
        throw new AppError('conflict', 'The page has changed since you read it. Read it again, then repeat your edit.', { current_revision: row.updatedCommit });
      }
      const text = new TextDecoder().decode(await repo.reader.blob(row.blobOid));
      const next = apply(text, edit);
      if (new TextEncoder().encode(next).byteLength > MAX_PAGE_BYTES) throw new AppError('too_large', `A page may be at most ${MAX_PAGE_BYTES} bytes.`);
      return [{ path: row.filePath, content: next }];
    },
  });
  return { path: key, revision: result.commit ?? previous, changed: result.commit !== null };
}
