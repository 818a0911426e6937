/**
 * Finding a page's files in a git tree. A page key stands for every `.md`
 * file whose path normalises to it (pageKeyFromFilePath), in folders whose
 * names do too: `My_Folder/My_Page.md`, `My Folder/My Page.md`, and names
 * made by hand or by other git clients such as `My Folder/My Page_v2.md`.
 * Its attachments are the files of every folder that stands for the key
 * (attachmentOwner); of two with one name, the one in the key's own folder
 * (then the legacy one with spaces) is the attachment.
 */
import type { TreeEntry } from 'isomorphic-git';
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

/** A folder's entries by what they stand for. */
interface FolderIndex {
  /** Subfolders whose name stands for key segment `segment`. */
  folders(segment: string): readonly TreeEntry[];
  /** `.md` files whose name (without `.md`) stands for key segment `leaf`. */
  pages(leaf: string): readonly TreeEntry[];
  /** The file named `name`. */
  file(name: string): TreeEntry | undefined;
  files(): Iterable<TreeEntry>;
}

/** A name can stand for a segment other than itself only with a space or a non-ASCII character in it. */
const UNUSUAL = /[^\x21-\x7e]/;

/** Per parsed tree: the reader keeps a tree's entries as one array while it caches them. */
const INDEXES = new WeakMap<readonly TreeEntry[], FolderIndex>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Lookups by what each name stands for, so a search costs a lookup, not a scan (a push of 10,000 pages into one folder). */
function mappedIndex(entries: readonly TreeEntry[]): FolderIndex {
  const folders = new Map<string, TreeEntry[]>();
  const pages = new Map<string, TreeEntry[]>();
  const files = new Map<string, TreeEntry>();
  for (const entry of entries) {
    if (entry.type === 'tree') push(folders, segmentKey(entry.path), entry);
    if (entry.type !== 'blob') continue;
    files.set(entry.path, entry);
    if (entry.path.endsWith(PAGE_EXTENSION)) push(pages, segmentKey(entry.path.slice(0, -PAGE_EXTENSION.length)), entry);
  }
  return { folders: (s) => folders.get(s) ?? [], pages: (l) => pages.get(l) ?? [], file: (n) => files.get(n), files: () => files.values() };
}

/**
 * A folder whose names all stand for themselves (the usual case, and every
 * folder a save writes anew): names are looked up as they are, without
 * building maps.
 */
function plainIndex(entries: readonly TreeEntry[]): FolderIndex {
  const named = (name: string, type: string) => entries.filter((e) => e.path === name && e.type === type);
  return {
    folders: (s) => named(s, 'tree'),
    pages: (l) => named(`${l}${PAGE_EXTENSION}`, 'blob'),
    file: (n) => named(n, 'blob')[0],
    files: () => entries.filter((e) => e.type === 'blob'),
  };
}

async function folderIndex(reader: TreeReader, oid: string): Promise<FolderIndex> {
  const entries = await reader.tree(oid);
  let index = INDEXES.get(entries);
  if (!index) {
    index = entries.some((e) => UNUSUAL.test(e.path)) ? mappedIndex(entries) : plainIndex(entries);
    INDEXES.set(entries, index);
  }
  return index;
}

/** The folders of `tree` whose path stands for `segments`, folder by folder (the root for none), with their paths ending in `/` (the root's is ''). */
async function foldersFor(reader: TreeReader, tree: string, segments: readonly string[]): Promise<{ prefix: string; oid: string }[]> {
  let level = [{ prefix: '', oid: tree }];
  for (const segment of segments) {
    const next: { prefix: string; oid: string }[] = [];
    for (const folder of level) {
      for (const entry of (await folderIndex(reader, folder.oid)).folders(segment)) next.push({ prefix: `${folder.prefix}${entry.path}/`, oid: entry.oid });
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
  const leaf = segments.pop()!;
  const found: PageFile[] = [];
  for (const folder of await foldersFor(reader, tree, segments)) {
    for (const entry of (await folderIndex(reader, folder.oid)).pages(leaf)) {
      const path = `${folder.prefix}${entry.path}`;
      if (pageKeyFromFilePath(path) === key) found.push({ path, oid: entry.oid });
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

/** Ranks a page's attachment files: its own folder, then the legacy one, then the rest (ties by path). */
function byFolder(key: string): (a: AttachmentFile, b: AttachmentFile) => number {
  const usual = usualFolders(key);
  const rank = (f: AttachmentFile) => {
    const i = usual.indexOf(f.path.slice(0, -f.name.length));
    return i < 0 ? usual.length : i;
  };
  return (a, b) => rank(a) - rank(b) || byPath(a, b);
}

/** Every attachment file of page `key` in `tree`, by name; of several with one name, the attachment first. */
export async function attachmentFilesAt(reader: TreeReader, tree: string, key: string): Promise<AttachmentFile[]> {
  const found: AttachmentFile[] = [];
  for (const folder of await foldersFor(reader, tree, key.split('/'))) {
    for (const entry of (await folderIndex(reader, folder.oid)).files()) {
      const path = `${folder.prefix}${entry.path}`;
      if (attachmentOwner(path) === key) found.push({ path, oid: entry.oid, name: entry.path });
    }
  }
  const folderOrder = byFolder(key);
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : folderOrder(a, b)));
}

/** The file that is attachment `name` of page `key` in `tree`, or null. Looks up the two usual folders before searching. */
export async function attachmentFileAt(reader: TreeReader, tree: string, key: string, name: string): Promise<PageFile | null> {
  if (attachmentOwner(`${key}/${name}`) !== key) return null; // a subpage or a hidden file is no attachment
  for (const folder of usualFolders(key)) {
    const entry = await fileEntryAt(reader, tree, `${folder}${name}`);
    if (entry) return { path: `${folder}${name}`, oid: entry.oid };
  }
  const found: AttachmentFile[] = [];
  for (const folder of await foldersFor(reader, tree, key.split('/'))) {
    const entry = (await folderIndex(reader, folder.oid)).file(name);
    if (entry) found.push({ path: `${folder.prefix}${name}`, oid: entry.oid, name });
  }
  const best = found.sort(byFolder(key))[0];
  return best ? { path: best.path, oid: best.oid } : null;
}
