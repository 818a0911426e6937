/**
 * One commit from a list of file changes, as git objects only (blobs, trees, a
 * commit): no index, no working tree. The objects are built in memory and
 * stored together at the end (`ObjectBatch`). The branch is not moved; the
 * caller does that with `updateBranch` under its writer lock.
 */
import git from 'isomorphic-git';
import { AppError } from '../../lib/errors.ts';
import { type Identity, toSignature } from './commit-identity.ts';
import { diffTrees, type FileDiff } from './diff-trees.ts';
import { ObjectBatch } from './object-batch.ts';
import { commitMessage, encodeCommit, encodeTree, LONE_SURROGATE } from './objects.ts';
import { EMPTY_TREE_OID, fsClient, type GitFs, isNotFoundError, isOid } from './git-fs.ts';
import { splitGitPath } from './git-paths.ts';
import { ObjectReader } from './object-reader.ts';
import { TreeEditor } from './tree-editor.ts';

/** Write a file with these bytes (a string is stored as UTF-8, verbatim). */
export interface WriteFile {
  path: string;
  content: Uint8Array | string;
}

/** Write a file whose blob is already in the repository (moves and copies without re-reading). */
export interface LinkBlob {
  path: string;
  oid: string;
}

/** Delete a file; with `recursive`, a whole folder. Deleting what is not there does nothing. */
export interface DeleteFile {
  path: string;
  delete: true;
  recursive?: boolean;
}

/** One change of a commit. Applied in order; a path may be written only once (deleting it first is fine). */
export type TreeChange = WriteFile | LinkBlob | DeleteFile;

/** What to commit. */
export interface CommitChangesOptions {
  /** The commit to build on; `null` for a repository's first commit. */
  parent: string | null;
  changes: readonly TreeChange[];
  author: Identity;
  /** Defaults to the author. */
  committer?: Identity;
  message: string;
  /** Seconds since the epoch for author and committer; defaults to now. */
  timestamp?: number;
  /** Minutes, `Date#getTimezoneOffset` sign; defaults to 0 (UTC). */
  timezoneOffset?: number;
}

/** A new commit and the files it changed, or `commit: null` when the changes changed nothing. */
export type CommitChangesResult =
  /** `author` and `message` as the commit stores them (cleaned; the message without its final newline), for the index. */
  | { commit: string; tree: string; changed: string[]; diff: FileDiff[]; author: Identity; message: string }
  | { commit: null; tree: string; changed: []; diff: [] };

const encoder = new TextEncoder();

function isDelete(change: TreeChange): change is DeleteFile {
  return (change as DeleteFile).delete === true;
}

const ANY_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);

function hasLoneSurrogate(text: string): boolean {
  return ANY_LONE_SURROGATE.test(text);
}

function isWrite(change: TreeChange): change is WriteFile {
  return (change as WriteFile).content !== undefined;
}

async function assertBlobExists(fs: GitFs, gitdir: string, oid: string, cache: object): Promise<void> {
  if (!isOid(oid)) throw new AppError('invalid', `${JSON.stringify(oid)} is not a blob id.`);
  try {
    // 'deflated' finds the object without inflating it.
    await git.readObject({ fs: fsClient(fs), gitdir, oid, format: 'deflated', cache });
  } catch (err) {
    if (isNotFoundError(err)) throw new AppError('not_found', `The blob ${oid} does not exist in this repository.`);
    throw err;
  }
}

/**
 * Builds a commit on `parent` from `changes` (any number of paths: writes,
 * deletions, renames as delete + write, whole-folder moves), creating and
 * pruning folders, and returns it with the changed paths. Returns
 * `commit: null` and writes no commit when the resulting tree equals the
 * parent's (no empty commits). Does not move any ref.
 *
 * Throws `invalid` for bad paths, a path written twice or a folder deleted
 * without `recursive`; `conflict` when a file and a folder would share a
 * name; `not_found` for a missing parent or linked blob.
 */
export async function commitChanges(fs: GitFs, gitdir: string, options: CommitChangesOptions): Promise<CommitChangesResult> {
  const { parent, changes } = options;
  const written = new Set<string>();
  const planned = changes.map((change) => {
    const segments = splitGitPath(change.path);
    if (!isDelete(change)) {
      if (written.has(change.path)) throw new AppError('invalid', `${change.path} is written more than once in one commit.`);
      written.add(change.path);
      // Stored as UTF-8, such text would silently become U+FFFD: refused instead, so nothing changes unasked.
      if (isWrite(change) && typeof change.content === 'string' && hasLoneSurrogate(change.content)) {
        throw new AppError('invalid', `The text for ${change.path} is not valid Unicode: it has half of a surrogate pair (an escape such as \\ud800 without its partner).`);
      }
    }
    return { change, segments };
  });
  if (parent !== null && !isOid(parent)) throw new AppError('invalid', `${JSON.stringify(parent)} is not a commit id.`);

  const reader = new ObjectReader(fs, gitdir);
  const objects = new ObjectBatch();
  const blobs = new Map<string, Uint8Array>();
  const before = parent === null ? null : await reader.rootTree(parent);
  const editor = new TreeEditor(reader, before);
  for (const { change, segments } of planned) {
    if (isDelete(change)) {
      await editor.remove(segments, change.recursive === true);
    } else if (isWrite(change)) {
      const bytes = typeof change.content === 'string' ? encoder.encode(change.content) : change.content;
      const oid = objects.add('blob', bytes);
      blobs.set(oid, bytes);
      await editor.put(segments, oid);
    } else {
      await assertBlobExists(fs, gitdir, change.oid, reader.cache);
      await editor.put(segments, change.oid);
    }
  }
  const tree = await editor.write(async (entries) => objects.add('tree', encodeTree(entries)));
  if (tree === (before ?? EMPTY_TREE_OID)) return { commit: null, tree, changed: [], diff: [] };

  const diff = await diffTrees(reader, before, tree);
  const timestamp = options.timestamp ?? Date.now() / 1000;
  const author = toSignature(options.author, timestamp, options.timezoneOffset);
  const committer = toSignature(options.committer ?? options.author, timestamp, options.timezoneOffset);
  const content = { tree, parent: parent === null ? [] : [parent], author, committer, message: commitMessage(options.message) };
  const commit = objects.add('commit', encodeCommit(content));
  await objects.store(fs, gitdir);
  // The index and the next save read these back: from memory, not disk.
  reader.rememberCommit(commit, content);
  for (const [oid, bytes] of blobs) reader.rememberBlob(oid, bytes);
  return { commit, tree, changed: diff.map((d) => d.path), diff, author: { name: author.name, email: author.email }, message: content.message.replace(/\n+$/, '') };
}
