/** What the wiki's services need of a repository: its wiki, the store, git access. Runtime-neutral. */
import type { Db } from '../../lib/db.ts';
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
}
