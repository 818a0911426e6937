/**
 * Finding a page's files in a git tree. A page key stands for every `.md`
 * file whose path normalises to it (pageKeyFromFilePath), in folders whose
 * names do too: `My_Folder/My_Page.md`, `My Folder/My Page.md`, and names
 * made by hand or by other git clients such as `My Folder/My Page_v2.md`.
 * Its attachments are the files of every folder that stands for the key
 * (attachmentOwner); of two with one name, the one in the key's own folder
 * (then the legacy one with spaces) is the attachment.
 */
import type { ObjectReading } from '../git/object-reader.ts';
import { fileEntryAt } from '../git/read-files.ts';
import { attachmentOwner } from '../pages/attachments.ts';
import { PAGE_EXTENSION, bestPageFile, legacySpaceFilePath, pageFileNames, pageKeyFromFilePath } from '../pages/page-files.ts';
import { segmentKey } from '../pages/page-name.ts';

export interface PageFile {
  path: string;
  oid: string;
}

export interface AttachmentFile extends PageFile {
  name: string;
}

type TreeReader = Pick<ObjectReading, 'tree'>;

/** Names that are neither a key's own form nor its legacy form can still stand for it only if they hold a space or a non-ASCII character. */
const UNUSUAL = /[^\x21-\x7e]/;

/** Whether a name in a tree may stand for `wanted` (a key's segment, plus `.md` for a file). */
function mayStandFor(name: string, wanted: string): boolean {
  return name === wanted || name === wanted.replaceAll('_', ' ') || UNUSUAL.test(name);
}

/** The folders of `tree` whose path stands for `segments`, folder by folder (the root for none), with their paths ending in `/` (the root's is ''). */
async function foldersFor(reader: TreeReader, tree: string, segments: readonly string[]): Promise<{ prefix: string; oid: string }[]> {
  let level = [{ prefix: '', oid: tree }];
  for (const segment of segments) {
    const next: { prefix: string; oid: string }[] = [];
    for (const folder of level) {
      for (const entry of await reader.tree(folder.oid)) {
        if (entry.type === 'tree' && mayStandFor(entry.path, segment) && segmentKey(entry.path) === segment) next.push({ prefix: `${folder.prefix}${entry.path}/`, oid: entry.oid });
      }
    }
    level = next;
  }
  return level;
}

function byPath(a: PageFile, b: PageFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Every file in `tree` that stands for page `key`, the page's own (bestPageFile) first. */
export async function pageFilesAt(reader: TreeReader, tree: string, key: string): Promise<PageFile[]> {
  const segments = key.split('/');
  const wanted = `${segments.pop()!}${PAGE_EXTENSION}`;
  const found: PageFile[] = [];
  for (const folder of await foldersFor(reader, tree, segments)) {
    for (const entry of await reader.tree(folder.oid)) {
      const path = `${folder.prefix}${entry.path}`;
      if (entry.type === 'blob' && mayStandFor(entry.path, wanted) && pageKeyFromFilePath(path) === key) found.push({ path, oid: entry.oid });
    }
  }
  const best = bestPageFile(key, found.map((f) => f.path));
  return found.sort((a, b) => (a.path === best ? -1 : b.path === best ? 1 : byPath(a, b)));
}

/** The file that is page `key` in `tree` (bestPageFile), or null. Looks up the two usual names before searching. */
export async function pageFileAt(reader: TreeReader, tree: string, key: string): Promise<PageFile | null> {
  for (const path of pageFileNames(key)) {
    const entry = await fileEntryAt(reader, tree, path);
    if (entry) return { path, oid: entry.oid };
  }
  return (await pageFilesAt(reader, tree, key))[0] ?? null;
}

/** The two usual folders of page `key`'s attachments, best first: its own, and the legacy one with spaces. */
function usualFolders(key: string): string[] {
  return [...new Set([`${key}/`, `${legacySpaceFilePath(key).slice(0, -PAGE_EXTENSION.length)}/`])];
}

/** Every attachment file of page `key` in `tree`, by name; of several with one name, the attachment first. */
export async function attachmentFilesAt(reader: TreeReader, tree: string, key: string): Promise<AttachmentFile[]> {
  const found: AttachmentFile[] = [];
  for (const folder of await foldersFor(reader, tree, key.split('/'))) {
    for (const entry of await reader.tree(folder.oid)) {
      const path = `${folder.prefix}${entry.path}`;
      if (entry.type === 'blob' && attachmentOwner(path) === key) found.push({ path, oid: entry.oid, name: entry.path });
    }
  }
  const usual = usualFolders(key);
  const rank = (f: AttachmentFile) => {
    const i = usual.indexOf(f.path.slice(0, -f.name.length));
    return i < 0 ? usual.length : i;
  };
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : rank(a) - rank(b) || byPath(a, b)));
}

/** The file that is attachment `name` of page `key` in `tree`, or null. Looks up the two usual folders before searching. */
export async function attachmentFileAt(reader: TreeReader, tree: string, key: string, name: string): Promise<PageFile | null> {
  if (attachmentOwner(`${key}/${name}`) !== key) return null; // a subpage or a hidden file is no attachment
  for (const folder of usualFolders(key)) {
    const entry = await fileEntryAt(reader, tree, `${folder}${name}`);
    if (entry) return { path: `${folder}${name}`, oid: entry.oid };
  }
  return (await attachmentFilesAt(reader, tree, key)).find((f) => f.name === name) ?? null;
}
