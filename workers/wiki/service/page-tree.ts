/**
 * The shape of a wiki's page tree, from the index (never from git): which of
 * some page keys exist, and the top level of the tree for navigation.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { pages } from '../../../db/schema.ts';
import type { Repository } from './repository.ts';

/** Keys looked up per query, well under SQLite's bound-parameter limit. */
const CHUNK = 400;

/** The subset of `keys` that are pages of the wiki now. */
export async function existingPages(repo: Repository, keys: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(keys)];
  const found = new Set<string>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await repo.db
      .select({ path: pages.path })
      .from(pages)
      .where(and(eq(pages.wikiId, repo.wiki.id), inArray(pages.path, unique.slice(i, i + CHUNK))));
    for (const r of rows) found.add(r.path);
  }
  return found;
}

/** One name at the top of the page tree: a page, a folder of pages, or both. */
export interface TopLevelEntry {
  /** The first segment of the keys it stands for. */
  name: string;
  /** A page has exactly this key. */
  isPage: boolean;
  /** Pages exist below it (`name/…`). */
  isFolder: boolean;
}

interface TopRow {
  top: string;
  is_page: number;
  is_folder: number;
}

/** The first level of the page tree, by name, at most `limit` entries. One indexed scan of the wiki's pages. */
export async function topLevelEntries(repo: Repository, limit: number): Promise<TopLevelEntry[]> {
  const rows = await repo.db.all<TopRow>(sql`select
      case when instr(${pages.path}, '/') = 0 then ${pages.path} else substr(${pages.path}, 1, instr(${pages.path}, '/') - 1) end as top,
      max(instr(${pages.path}, '/') = 0) as is_page,
      max(instr(${pages.path}, '/') > 0) as is_folder
    from ${pages} where ${pages.wikiId} = ${repo.wiki.id}
    group by top order by top limit ${limit}`);
  return rows.map((r) => ({ name: r.top, isPage: Number(r.is_page) === 1, isFolder: Number(r.is_folder) === 1 }));
}
