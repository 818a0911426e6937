/**
 * Finding a page's files in a git tree. A page key stands for every `.md`
 * file whose path normalises to it (pageKeyFromFilePath), in folders whose
 * names do too: `My_Folder/My_Page.md`, `My Folder/My Page.md`, and names
 * made by hand or by other git clients such as `My Folder/My Page_v2.md`.
 */
import type { ObjectReading } from '../git/object-reader.ts';
import { fileEntryAt } from '../git/read-files.ts';
import { PAGE_EXTENSION, bestPageFile, pageFileNames, pageKeyFromFilePath } from '../pages/page-files.ts';
import { segmentKey } from '../pages/page-name.ts';

export interface PageFile {
  path: string;
  oid: string;
}

/** Names that are neither a key's own form nor its legacy form can still stand for it only if they hold a space or a non-ASCII character. */
const UNUSUAL = /[^\x21-\x7e]/;

/** Whether a name in a tree may stand for `wanted` (a key's segment, plus `.md` for a file). */
function mayStandFor(name: string, wanted: string): boolean {
  return name === wanted || name === wanted.replaceAll('_', ' ') || UNUSUAL.test(name);
}

/** Every file in `tree` that stands for page `key`, the page's own (bestPageFile) first. */
export async function pageFilesAt(reader: Pick<ObjectReading, 'tree'>, tree: string, key: string): Promise<PageFile[]> {
  const segments = key.split('/');
  const found: PageFile[] = [];
  const walk = async (treeOid: string, depth: number, prefix: string): Promise<void> => {
    const last = depth === segments.length - 1;
    const wanted = last ? `${segments[depth]}${PAGE_EXTENSION}` : segments[depth]!;
    for (const entry of await reader.tree(treeOid)) {
      if (!mayStandFor(entry.path, wanted)) continue;
      const path = `${prefix}${entry.path}`;
      if (last) {
        if (entry.type === 'blob' && pageKeyFromFilePath(path) === key) found.push({ path, oid: entry.oid });
      } else if (entry.type === 'tree' && segmentKey(entry.path) === wanted) {
        await walk(entry.oid, depth + 1, `${path}/`);
      }
    }
  };
  await walk(tree, 0, '');
  const best = bestPageFile(key, found.map((f) => f.path));
  return found.sort((a, b) => (a.path === best ? -1 : b.path === best ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The file that is page `key` in `tree` (bestPageFile), or null. Looks up the two usual names before searching. */
export async function pageFileAt(reader: Pick<ObjectReading, 'tree'>, tree: string, key: string): Promise<PageFile | null> {
  for (const path of pageFileNames(key)) {
    const entry = await fileEntryAt(reader, tree, path);
    if (entry) return { path, oid: entry.oid };
  }
  return (await pageFilesAt(reader, tree, key))[0] ?? null;
}
