/**
 * The filesystem and per-repository cache every git operation here takes,
 * plus the ref and error helpers they share.
 */
import type { PromiseFsClient } from 'isomorphic-git';

/**
 * A promise-based filesystem in the shape isomorphic-git accepts
 * (`{ promises: { readFile, writeFile, unlink, readdir, mkdir, rmdir, stat, lstat, … } }`):
 * Node's `fs`, or the disk-service adapter inside workerd.
 */
export type GitFs = PromiseFsClient | { readonly promises: Readonly<Record<string, (...args: never[]) => Promise<unknown>>> };

/** The branch every wiki lives on. */
export const MAIN_BRANCH = 'main';
/** The full name of {@link MAIN_BRANCH}'s ref. */
export const MAIN_REF = `refs/heads/${MAIN_BRANCH}`;
/** The id of the empty tree. */
export const EMPTY_TREE_OID = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

const OID = /^[0-9a-f]{40}$/;

/** True for a full lowercase SHA-1 object id. */
export function isOid(value: unknown): value is string {
  return typeof value === 'string' && OID.test(value);
}

/** `fs` typed as isomorphic-git wants it (both shapes of {@link GitFs} are the same object at run time). */
export function fsClient(fs: GitFs): PromiseFsClient {
  return fs as PromiseFsClient;
}

const caches = new WeakMap<object, Map<string, object>>();

/**
 * The one isomorphic-git `cache` object for a repository (runtime.md §5.4:
 * sharing it avoids re-reading and re-verifying pack indexes). It lives as long
 * as the `fs` object it was asked with, so a per-request adapter gets a
 * per-request cache and nothing accumulates across requests.
 */
export function repoCache(fs: GitFs, gitdir: string): object {
  let byDir = caches.get(fs);
  if (!byDir) {
    byDir = new Map();
    caches.set(fs, byDir);
  }
  let cache = byDir.get(gitdir);
  if (!cache) {
    cache = {};
    byDir.set(gitdir, cache);
  }
  return cache;
}

/** True for isomorphic-git's "not found" errors (missing object, ref or file). */
export function isNotFoundError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'NotFoundError';
}
