/**
 * Reads commits, trees and blobs of one repository with isomorphic-git,
 * remembering parsed commits and trees (they are immutable): for the life of
 * the reader, and in bounded isolate-wide caches keyed by repository and id.
 */
import git, { type CommitObject, type TreeEntry } from 'isomorphic-git';
import { AppError } from '../../lib/errors.ts';
import { EMPTY_TREE_OID, fsClient, type GitFs, isNotFoundError, repoCache } from './git-fs.ts';
import { BoundedCache } from '../../lib/bounded-cache.ts';

function missing(kind: string, oid: string, err: unknown): never {
  if (isNotFoundError(err)) throw new AppError('not_found', `The ${kind} ${oid} does not exist in this repository.`);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ObjectTypeError') throw new AppError('invalid', `The object ${oid} is not a ${kind}.`);
  throw err;
}

/**
 * What history walks and tree diffs need of a reader: `ObjectReader` over a
 * stored repository, or a reader over objects still arriving (a git push).
 */
export interface ObjectReading {
  commit(oid: string): Promise<CommitObject>;
  tree(oid: string): Promise<readonly TreeEntry[]>;
  blob(oid: string): Promise<Uint8Array>;
  rootTree(oid: string): Promise<string>;
}

/** Recently read blobs, by id. */
const BLOBS = new BoundedCache<Uint8Array>({ maxEntries: 5000, maxSize: 32 * 1024 * 1024 });
// Parsed trees and commits, per repository and id: objects never change, so an
// isolate that has read (or written) one never reads it from disk again. The
// write path leans on this: a save edits trees the previous save made.
const TREES = new BoundedCache<readonly TreeEntry[]>({ maxEntries: 20_000, maxSize: 16 * 1024 * 1024 });
const COMMITS = new BoundedCache<CommitObject>({ maxEntries: 20_000, maxSize: 8 * 1024 * 1024 });

function treeSize(entries: readonly TreeEntry[]): number {
  let size = 64;
  for (const e of entries) size += 96 + e.path.length * 2;
  return size;
}

/** A memoising reader over one repository; make one per operation. */
export class ObjectReader implements ObjectReading {
  readonly fs: GitFs;
  readonly gitdir: string;
  readonly cache: object;
  readonly #commits = new Map<string, Promise<CommitObject>>();
  readonly #trees = new Map<string, Promise<readonly TreeEntry[]>>();

  /**
   * @param fs - the promise fs isomorphic-git works on
   * @param gitdir - the bare repository's directory
   */
  constructor(fs: GitFs, gitdir: string) {
    this.fs = fs;
    this.gitdir = gitdir;
    this.cache = repoCache(fs, gitdir);
  }

  /** The parsed commit `oid`; throws `not_found` if it is absent. */
  commit(oid: string): Promise<CommitObject> {
    let pending = this.#commits.get(oid);
    if (!pending) {
      const key = `${this.gitdir}:${oid}`;
      const known = COMMITS.get(key);
      pending = known
        ? Promise.resolve(known)
        : git.readCommit({ fs: fsClient(this.fs), gitdir: this.gitdir, oid, cache: this.cache }).then(
            (r) => (COMMITS.set(key, r.commit, 512 + r.commit.message.length * 2), r.commit),
            (err: unknown) => missing('commit', oid, err),
          );
      this.#commits.set(oid, pending);
    }
    return pending;
  }

  /** The entries of tree `oid`; throws `not_found` if it is absent. */
  tree(oid: string): Promise<readonly TreeEntry[]> {
    if (oid === EMPTY_TREE_OID) return Promise.resolve([]);
    let pending = this.#trees.get(oid);
    if (!pending) {
      const key = `${this.gitdir}:${oid}`;
      const known = TREES.get(key);
      pending = known
        ? Promise.resolve(known)
        : git.readTree({ fs: fsClient(this.fs), gitdir: this.gitdir, oid, cache: this.cache }).then(
            (r) => (TREES.set(key, r.tree, treeSize(r.tree)), r.tree),
            (err: unknown) => missing('tree', oid, err),
          );
      this.#trees.set(oid, pending);
    }
    return pending;
  }

  /**
   * The bytes of blob `oid`; throws `not_found` if it is absent. Blobs are
   * content-addressed, so recently read ones are kept per isolate (shared by
   * every repository: the same id is the same bytes). Callers must not modify them.
   */
  async blob(oid: string): Promise<Uint8Array> {
    const cached = BLOBS.get(oid);
    if (cached) return cached;
    try {
      const { blob } = await git.readBlob({ fs: fsClient(this.fs), gitdir: this.gitdir, oid, cache: this.cache });
      BLOBS.set(oid, blob, blob.byteLength);
      return blob;
    } catch (err) {
      return missing('blob', oid, err);
    }
  }

  /** The root tree of commit `oid`. */
  async rootTree(oid: string): Promise<string> {
    return (await this.commit(oid)).tree;
  }

  /** Records a tree this operation has just written, so it need not be read back. */
  remember(oid: string, entries: readonly TreeEntry[]): void {
    if (!this.#trees.has(oid)) this.#trees.set(oid, Promise.resolve(entries));
    TREES.set(`${this.gitdir}:${oid}`, entries, treeSize(entries));
  }

  /** Records a commit this isolate wrote (so building on it reads nothing). */
  rememberCommit(oid: string, commit: CommitObject): void {
    this.#commits.set(oid, Promise.resolve(commit));
    COMMITS.set(`${this.gitdir}:${oid}`, commit, 512 + commit.message.length * 2);
  }

  /** Records a blob this isolate wrote (the index and the next page view read it from here). */
  rememberBlob(oid: string, bytes: Uint8Array): void {
    BLOBS.set(oid, bytes, bytes.byteLength);
  }
}
