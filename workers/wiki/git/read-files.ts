/** Reading files out of one commit: a single file, or the list of all files. */
import type { GitFs } from './git-fs.ts';
import { splitGitPath } from './git-paths.ts';
import { ObjectReader, type ObjectReading } from './object-reader.ts';

/** A file read from a commit. */
export interface FileAtCommit {
  /** The blob id (what a page revision is compared by). */
  oid: string;
  /** The exact bytes stored. */
  content: Uint8Array;
  /** The git file mode: `100644`, `100755` or `120000` (symlink). */
  mode: string;
}

/** One file of a commit's tree. */
export interface TreeFile {
  path: string;
  oid: string;
  mode: string;
}

/**
 * The file at `path` in `commit`, or `null` when there is none (or the path
 * names a folder). Throws `not_found` if the commit is missing and `invalid`
 * for a path git could not hold.
 */
export async function readFileAt(fs: GitFs, gitdir: string, commit: string, path: string): Promise<FileAtCommit | null> {
  const reader = new ObjectReader(fs, gitdir);
  const entry = await fileEntryAt(reader, await reader.rootTree(commit), path);
  return entry && { oid: entry.oid, content: await reader.blob(entry.oid), mode: entry.mode };
}

/** The file (blob) entry at `path` under tree `tree`, or `null` when there is none (or the path names a folder). */
export async function fileEntryAt(reader: Pick<ObjectReading, 'tree'>, tree: string, path: string): Promise<{ oid: string; mode: string } | null> {
  const segments = splitGitPath(path);
  for (let i = 0; i < segments.length; i++) {
    const entry = (await reader.tree(tree)).find((e) => e.path === segments[i]);
    if (!entry) return null;
    if (i === segments.length - 1) return entry.type === 'blob' ? { oid: entry.oid, mode: entry.mode } : null;
    if (entry.type !== 'tree') return null;
    tree = entry.oid;
  }
  return null;
}

async function collect(reader: ObjectReader, tree: string, prefix: string, out: TreeFile[]): Promise<void> {
  const entries = await reader.tree(tree);
  const subtrees: Array<Promise<void>> = [];
  for (const entry of entries) {
    const path = `${prefix}${entry.path}`;
    if (entry.type === 'blob') out.push({ path, oid: entry.oid, mode: entry.mode });
    else if (entry.type === 'tree') subtrees.push(collect(reader, entry.oid, `${path}/`, out));
    // 'commit' entries (submodules) hold no files of this repository.
  }
  await Promise.all(subtrees);
}

/**
 * Every file (blob) in `commit`, recursively, with its id and mode, sorted by
 * path. Folders are implied by the paths; submodule entries are skipped.
 */
export async function listFiles(fs: GitFs, gitdir: string, commit: string): Promise<TreeFile[]> {
  const reader = new ObjectReader(fs, gitdir);
  const out: TreeFile[] = [];
  await collect(reader, await reader.rootTree(commit), '', out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
