/**
 * Where a page's attachments live (wiki-reference §5): in the folder named
 * after the page file without `.md` (`Another/Test.md` → `Another/Test/`),
 * beside its subpages. Any non-`.md` file directly in that folder is an
 * attachment of the page; `.md` files there are subpages. Pure functions.
 */
import { PAGE_EXTENSION, pageKeyFromFilePath } from './page-files.ts';

/**
 * The attachment folder of a page in underscore form, with a trailing `/`.
 *
 * @example attachmentDir('Another/Test') // 'Another/Test/'
 */
export function attachmentDir(key: string): string {
  return `${key}/`;
}

/**
 * The attachment folder of the page stored in `pageFile` (use this for a page
 * resolved to a legacy-space file, whose folder has spaces too).
 *
 * @example attachmentDirOfFile('Another/My Test.md') // 'Another/My Test/'
 */
export function attachmentDirOfFile(pageFile: string): string {
  const stem = pageFile.endsWith(PAGE_EXTENSION) ? pageFile.slice(0, -PAGE_EXTENSION.length) : pageFile;
  return `${stem}/`;
}

/** The path of attachment `name` (already made safe) of the page `key`. */
export function attachmentPath(key: string, name: string): string {
  return `${attachmentDir(key)}${name}`;
}

/**
 * The key of the page a file is an attachment of, or `null` when the file is
 * not an attachment: a `.md` file (a page or subpage), a hidden (dot) file, a
 * file at the top level, or a file in a folder no page key maps to. The page
 * itself need not exist (an orphaned attachment still names its owner).
 *
 * @example attachmentOwner('Another/Test/diagram.png') // 'Another/Test'
 * @example attachmentOwner('Another/My Test/diagram.png') // 'Another/My_Test' (legacy-space folder)
 * @example attachmentOwner('Another/Test/Sub.md') // null (a subpage)
 */
export function attachmentOwner(path: string): string | null {
  const slash = path.lastIndexOf('/');
  if (slash <= 0) return null;
  const name = path.slice(slash + 1);
  if (name === '' || name.startsWith('.') || name.endsWith(PAGE_EXTENSION)) return null;
  return pageKeyFromFilePath(`${path.slice(0, slash)}${PAGE_EXTENSION}`);
}

/** True when the file at `path` is an attachment of some page (see {@link attachmentOwner}). */
export function isAttachmentPath(path: string): boolean {
  return attachmentOwner(path) !== null;
}
