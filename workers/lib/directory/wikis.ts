/** Wikis: created with their owner as the first member, in one atomic batch. */
import { asc, eq } from 'drizzle-orm';
import { members, wikis, type Visibility } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import { slugProblem } from '../slugs.ts';
import { newId } from '../tokens.ts';
import { auditInsert, type Actor } from './audit.ts';

export type Wiki = typeof wikis.$inferSelect;

export interface CreateWikiInput {
  slug: string;
  ownerDid: string;
  title?: string;
  description?: string;
  visibility?: Visibility;
  gitAccess?: boolean;
}

export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 1000;

export async function createWiki(db: Db, input: CreateWikiInput, actor: Actor): Promise<Wiki> {
  const problem = slugProblem(input.slug);
  if (problem) throw new AppError('invalid', problem);
  const title = (input.title ?? input.slug).trim();
  const description = (input.description ?? '').trim();
  if (!title || title.length > TITLE_MAX) throw new AppError('invalid', `a title must be 1–${TITLE_MAX} characters`);
  if (description.length > DESCRIPTION_MAX) throw new AppError('invalid', `a description must be at most ${DESCRIPTION_MAX} characters`);

  const now = Date.now();
  const wiki: Wiki = {
    id: newId('wk'),
    slug: input.slug,
    title,
    description,
    ownerDid: input.ownerDid,
    visibility: input.visibility ?? 'private',
    gitAccess: input.gitAccess ?? true,
    maxBytes: null,
    maxPages: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.batch([
      db.insert(wikis).values(wiki),
      db.insert(members).values({ wikiId: wiki.id, userDid: input.ownerDid, role: 'owner', addedBy: actor.did ?? null, createdAt: now }),
      auditInsert(db, actor, { action: 'wiki.create', wikiId: wiki.id, target: wiki.slug }),
    ]);
  } catch (err) {
    const text = String((err as { cause?: unknown }).cause ?? err);
    if (/UNIQUE constraint failed: wikis\.slug/.test(text)) throw new AppError('conflict', `a wiki named "${input.slug}" already exists`);
    if (/FOREIGN KEY constraint failed/.test(text)) throw new AppError('not_found', `no user with DID ${input.ownerDid}`);
    throw err;
  }
  return wiki;
}

export async function getWikiBySlug(db: Db, slug: string): Promise<Wiki | null> {
  const [wiki] = await db.select().from(wikis).where(eq(wikis.slug, slug));
  return wiki ?? null;
}

/** Like getWikiBySlug, but a missing wiki is a `not_found` error. */
export async function requireWiki(db: Db, slug: string): Promise<Wiki> {
  const wiki = await getWikiBySlug(db, slug);
  if (!wiki) throw new AppError('not_found', `no wiki named "${slug}"`);
  return wiki;
}

export async function listWikis(db: Db): Promise<Wiki[]> {
  return db.select().from(wikis).orderBy(asc(wikis.slug));
}

/** Sets a wiki's quota; null puts a limit back to the platform default. */
export async function setWikiQuota(db: Db, slug: string, quota: { maxBytes?: number | null; maxPages?: number | null }, actor: Actor): Promise<Wiki> {
  const wiki = await requireWiki(db, slug);
  for (const [name, value] of Object.entries(quota)) {
    if (value !== null && value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw new AppError('invalid', `${name} must be a whole number ≥ 0`);
  }
  const set = { ...(quota.maxBytes !== undefined ? { maxBytes: quota.maxBytes } : {}), ...(quota.maxPages !== undefined ? { maxPages: quota.maxPages } : {}), updatedAt: Date.now() };
  await db.batch([db.update(wikis).set(set).where(eq(wikis.id, wiki.id)), auditInsert(db, actor, { action: 'wiki.quota', wikiId: wiki.id, target: wiki.slug, detail: quota })]);
  return { ...wiki, ...set };
}
