/** What the wiki's services need of a repository: its wiki, the store, git access. Runtime-neutral. */
import type { Db, Statement } from '../../lib/db.ts';
import type { Wiki } from '../../lib/directory/wikis.ts';
import type { GitFs } from '../git/git-fs.ts';
import type { ObjectReader } from '../git/object-reader.ts';

export interface Repository {
  wiki: Wiki;
  db: Db;
  /** The disk service in workerd; Node's fs in the admin CLI. */
  fs: GitFs;
  gitdir: string;
  reader: ObjectReader;
  /**
   * Runs work after the answer (workerd's `waitUntil`): mirroring the branch
   * ref to disk. Without it (the admin CLI) such work is awaited.
   */
  defer?: (work: Promise<unknown>) => void;
  /** The caller's write limit, for `commitWrite` (set by `admitWrite`). */
  writeLimit?: WriteLimit;
}

/** How `commitWrite` applies the caller's write limit. */
export interface WriteLimit {
  /** Settles before anything is stored: rejects when the write is refused already. */
  ready: Promise<void>;
  /** Statements that count the write in its own batch and fail it over the limit. */
  statements: Statement[];
  /** The error to answer when those statements failed the batch. */
  refusal(): Error;
  /**
   * Counts a write whose batch failed for another reason (a conflict, the
   * quota): its objects were stored all the same, so refused writes count too.
   */
  countRefused(): Promise<void>;
}
