/** Wikis: created with their owner as the first member, in one atomic batch. */
import { aliasedTable, asc, count, eq, sql } from 'drizzle-orm';
import { members, users, VISIBILITIES, wikis, type Role, type Visibility } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import { DEFAULT_MAX_OWNED_WIKIS } from '../limits/wiki-quota.ts';
import { slugProblem } from '../slugs.ts';
import { newId } from '../tokens.ts';
import { auditInsert, type Actor } from './audit.ts';
import { failUnless, isGuardFailure } from './guard.ts';

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

export interface CreateWikiOptions {
  /** Refuse when the owner already owns as many wikis as they may (`users.max_wikis`, else DEFAULT_MAX_OWNED_WIKIS). The admin CLI does not. */
  enforceOwnerQuota?: boolean;
}

function checkTitle(title: string): string {
  const t = title.trim();
  if (!t || t.length > TITLE_MAX) throw new AppError('invalid', `a title must be 1–${TITLE_MAX} characters`);
  return t;
}

function checkDescription(description: string): string {
  const d = description.trim();
  if (d.length > DESCRIPTION_MAX) throw new AppError('invalid', `a description must be at most ${DESCRIPTION_MAX} characters`);
  return d;
}

/** How many wikis `did` owns and how many they may own. */
export async function ownedWikiAllowance(db: Db, did: string): Promise<{ owned: number; max: number }> {
  const [row] = await db
    .select({ max: users.maxWikis, owned: sql<number>`(select count(*) from ${wikis} where ${wikis.ownerDid} = ${did})` })
    .from(users)
    .where(eq(users.did, did));
  if (!row) throw new AppError('not_found', `no user with DID ${did}`);
  return { owned: Number(row.owned), max: row.max ?? DEFAULT_MAX_OWNED_WIKIS };
}

/** The refusal of a wiki beyond its owner's quota (403, with the limit in the details). */
export function ownedWikiQuotaError(max: number): AppError {
  return new AppError('forbidden', `You already own ${max} wiki${max === 1 ? '' : 's'}, the most you may own. Delete one, or hand one to an admin, before making another.`, {
    quota: 'max_wikis',
    limit: max,
  });
}

export async function createWiki(db: Db, input: CreateWikiInput, actor: Actor, options: CreateWikiOptions = {}): Promise<Wiki> {
  const problem = slugProblem(input.slug);
  if (problem) throw new AppError('invalid', problem);
  const title = checkTitle(input.title ?? input.slug);
  const description = checkDescription(input.description ?? '');
  let max = DEFAULT_MAX_OWNED_WIKIS;
  if (options.enforceOwnerQuota) {
    const allowance = await ownedWikiAllowance(db, input.ownerDid);
    max = allowance.max;
    if (allowance.owned >= allowance.max) throw ownedWikiQuotaError(allowance.max);
  }

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
      // Checked again inside the write (the new wiki counted): two creations at once cannot both pass the check above.
      ...(options.enforceOwnerQuota
        ? [failUnless(db, sql`(select count(*) from ${wikis} where ${wikis.ownerDid} = ${input.ownerDid}) <= coalesce((select ${users.maxWikis} from ${users} where ${users.did} = ${input.ownerDid}), ${DEFAULT_MAX_OWNED_WIKIS})`)]
        : []),
      db.insert(members).values({ wikiId: wiki.id, userDid: input.ownerDid, role: 'owner', addedBy: actor.did ?? null, createdAt: now }),
      auditInsert(db, actor, { action: 'wiki.create', wikiId: wiki.id, target: wiki.slug }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw ownedWikiQuotaError(max);
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

export interface WikiPatch {
  title?: string;
  description?: string;
  visibility?: Visibility;
  gitAccess?: boolean;
}

/** Changes a wiki's title, description, visibility or git access (the slug never changes). */
export async function updateWiki(db: Db, wiki: Wiki, patch: WikiPatch, actor: Actor): Promise<Wiki> {
  const set: Partial<typeof wikis.$inferInsert> = {};
  if (patch.title !== undefined) set.title = checkTitle(patch.title);
  if (patch.description !== undefined) set.description = checkDescription(patch.description);
  if (patch.visibility !== undefined) {
    if (!(VISIBILITIES as readonly string[]).includes(patch.visibility)) throw new AppError('invalid', `visibility must be one of: ${VISIBILITIES.join(', ')}`);
    set.visibility = patch.visibility;
  }
  if (patch.gitAccess !== undefined) set.gitAccess = patch.gitAccess;
  const changed = Object.fromEntries(Object.entries(set).filter(([k, v]) => wiki[k as keyof Wiki] !== v));
  if (Object.keys(changed).length === 0) return wiki;
  const updatedAt = Date.now();
  const [rows] = await db.batch([
    db.update(wikis).set({ ...changed, updatedAt }).where(eq(wikis.id, wiki.id)).returning(),
    auditInsert(db, actor, { action: 'wiki.update', wikiId: wiki.id, target: wiki.slug, detail: changed }),
  ]);
  const updated = rows[0];
  if (!updated) throw new AppError('not_found', `no wiki named "${wiki.slug}"`);
  return updated;
}

/**
 * Deletes a wiki's row; its members, tokens and whole index go with it (foreign
 * keys cascade). The git repository on disk is the wiki worker's to remove
 * (WikiRpc.destroyWikiStorage), after this.
 */
export async function deleteWiki(db: Db, wiki: Wiki, actor: Actor): Promise<void> {
  const [deleted] = await db.batch([
    db.delete(wikis).where(eq(wikis.id, wiki.id)),
    auditInsert(db, actor, { action: 'wiki.delete', wikiId: wiki.id, target: wiki.slug }),
  ]);
  if (deleted.rowsAffected !== 1) throw new AppError('not_found', `no wiki named "${wiki.slug}"`);
}

/** A wiki as one of its members sees it in their list. */
export interface MemberWiki {
  wiki: Wiki;
  role: Role;
  ownerHandle: string;
  memberCount: number;
}

/** Every wiki `did` is a member of (owned ones included), by slug. */
export async function listWikisForUser(db: Db, did: string): Promise<MemberWiki[]> {
  const owner = aliasedTable(users, 'owner');
  const rows = await db
    .select({
      wiki: wikis,
      role: members.role,
      ownerHandle: owner.handle,
      memberCount: sql<number>`(select ${count()} from ${members} m where m.wiki_id = ${wikis.id})`,
    })
    .from(members)
    .innerJoin(wikis, eq(wikis.id, members.wikiId))
    .innerJoin(owner, eq(owner.did, wikis.ownerDid))
    .where(eq(members.userDid, did))
    .orderBy(asc(wikis.slug));
  return rows.map((r) => ({ ...r, memberCount: Number(r.memberCount) }));
}

/** The slugs among `candidates` that are taken. */
export async function takenSlugs(db: Db, candidates: string[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const rows = await db.select({ slug: wikis.slug }).from(wikis).where(sql`${wikis.slug} in ${candidates}`);
  return new Set(rows.map((r) => r.slug));
}
