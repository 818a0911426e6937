/** The link graph, from the index: links of a page, orphans, and links to pages that do not exist. */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { pageLinks, pages } from '../../../db/schema.ts';
import type { Repository } from './repository.ts';

export async function pageLinksOf(repo: Repository, key: string): Promise<{ path: string; links_to: string[]; linked_from: string[] }> {
  const [out, inbound] = await repo.db.batch([
    repo.db.select({ dst: pageLinks.dst }).from(pageLinks).where(and(eq(pageLinks.wikiId, repo.wiki.id), eq(pageLinks.src, key))).orderBy(asc(pageLinks.dst)),
    repo.db.select({ src: pageLinks.src }).from(pageLinks).where(and(eq(pageLinks.wikiId, repo.wiki.id), eq(pageLinks.dst, key))).orderBy(asc(pageLinks.src)),
  ]);
  return { path: key, links_to: out.map((l) => l.dst), linked_from: inbound.map((l) => l.src) };
}

/** Pages nothing links to (the home page is never an orphan). */
export async function orphanPages(repo: Repository): Promise<string[]> {
  const rows = await repo.db
    .select({ path: pages.path })
    .from(pages)
    .leftJoin(pageLinks, and(eq(pageLinks.wikiId, pages.wikiId), eq(pageLinks.dst, pages.path)))
    .where(and(eq(pages.wikiId, repo.wiki.id), isNull(pageLinks.src), sql`${pages.path} <> 'Home'`))
    .orderBy(asc(pages.path));
  return rows.map((r) => r.path);
}

/** Links whose target page does not exist: `{ src, dst }`, by target. */
export async function brokenLinks(repo: Repository): Promise<{ src: string; dst: string }[]> {
  return repo.db
    .select({ src: pageLinks.src, dst: pageLinks.dst })
    .from(pageLinks)
    .leftJoin(pages, and(eq(pages.wikiId, pageLinks.wikiId), eq(pages.path, pageLinks.dst)))
    .where(and(eq(pageLinks.wikiId, repo.wiki.id), isNull(pages.path)))
    .orderBy(asc(pageLinks.dst), asc(pageLinks.src));
}
