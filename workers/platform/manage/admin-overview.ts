/** The platform admin's view: how much there is, who uses the disk, what broke lately. */
import { count, desc, eq, sql } from 'drizzle-orm';
import { attachments, errorLog, pages, users, wikis } from '../../../db/schema.ts';
import type { Db } from '../../lib/db.ts';
import { AppError } from '../../lib/errors.ts';
import type { Manager } from './manager.ts';

export interface WikiDiskUse {
  slug: string;
  ownerHandle: string;
  pages: number;
  /** Bytes of page and attachment content at the head (from the index, not the repository's history). */
  bytes: number;
}

export interface PlatformOverview {
  counts: { users: number; wikis: number; pages: number };
  disk: WikiDiskUse[];
  errors: (typeof errorLog.$inferSelect)[];
}

export function requirePlatformAdmin(m: Manager): void {
  if (m.principal.kind !== 'session' || !m.principal.session.isPlatformAdmin) throw new AppError('forbidden', 'This page is for platform admins.');
}

export async function platformOverview(db: Db, options: { errors?: number } = {}): Promise<PlatformOverview> {
  const pageBytes = db.select({ wikiId: pages.wikiId, bytes: sql<number>`sum(${pages.size})`.as('page_bytes'), n: count().as('n') }).from(pages).groupBy(pages.wikiId).as('p');
  const fileBytes = db.select({ wikiId: attachments.wikiId, bytes: sql<number>`sum(${attachments.size})`.as('file_bytes') }).from(attachments).groupBy(attachments.wikiId).as('a');
  const [[userCount], [wikiCount], [pageCount], disk, errors] = await db.batch([
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(wikis),
    db.select({ n: count() }).from(pages),
    db
      .select({
        slug: wikis.slug,
        ownerHandle: users.handle,
        pages: sql<number>`coalesce(${pageBytes.n}, 0)`,
        bytes: sql<number>`coalesce(${pageBytes.bytes}, 0) + coalesce(${fileBytes.bytes}, 0)`,
      })
      .from(wikis)
      .innerJoin(users, eq(users.did, wikis.ownerDid))
      .leftJoin(pageBytes, eq(pageBytes.wikiId, wikis.id))
      .leftJoin(fileBytes, eq(fileBytes.wikiId, wikis.id))
      .orderBy(desc(sql`coalesce(${pageBytes.bytes}, 0) + coalesce(${fileBytes.bytes}, 0)`), wikis.slug),
    db.select().from(errorLog).orderBy(desc(errorLog.id)).limit(options.errors ?? 50),
  ]);
  return {
    counts: { users: userCount?.n ?? 0, wikis: wikiCount?.n ?? 0, pages: pageCount?.n ?? 0 },
    disk: disk.map((d) => ({ ...d, pages: Number(d.pages), bytes: Number(d.bytes) })),
    errors,
  };
}
