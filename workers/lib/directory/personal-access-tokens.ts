/**
 * Personal access tokens: a secret bound to one wiki and one user, with scopes
 * no wider than the user's role. Only the SHA-256 hash is stored.
 */
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { members, personalAccessTokens, ROLES, TOKEN_SCOPES, users, wikis, type Role, type TokenScope } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import { scopesForRole } from '../roles.ts';
import { hashSecret, newId, newPersonalAccessToken, PAT_PREFIX } from '../tokens.ts';
import { auditInsert, auditInsertIf, type Actor } from './audit.ts';
import { getRole } from './members.ts';
import type { Wiki } from './wikis.ts';

export const TOKEN_NAME_MAX = 80;
/** How stale `last_used_at` may get before a use writes it again (saves a write per request). */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface MintInput {
  wiki: Wiki;
  userDid: string;
  name: string;
  scopes: TokenScope[];
  /** Milliseconds since the epoch, or null for a token that does not expire. */
  expiresAt: number | null;
}

export interface TokenView {
  id: string;
  wikiId: string;
  userDid: string;
  name: string;
  scopes: TokenScope[];
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** What a verified token grants. */
export interface TokenGrant {
  tokenId: string;
  wikiId: string;
  slug: string;
  userDid: string;
  /** The holder's display name, else handle: the git author name of what they write. */
  userName: string;
  role: Role;
  scopes: TokenScope[];
}

export function parseScopes(text: string): TokenScope[] {
  const scopes = text.split(/[\s,]+/).filter(Boolean);
  for (const s of scopes) {
    if (!(TOKEN_SCOPES as readonly string[]).includes(s)) throw new AppError('invalid', `unknown scope "${s}"; use read or write`);
  }
  if (scopes.length === 0) throw new AppError('invalid', 'a token needs at least one scope');
  return [...new Set(scopes as TokenScope[])];
}

/** Creates a token and returns its secret, which is never stored and cannot be shown again. */
export async function mintPersonalAccessToken(db: Db, input: MintInput, actor: Actor): Promise<{ id: string; token: string }> {
  const name = input.name.trim();
  if (!name || name.length > TOKEN_NAME_MAX) throw new AppError('invalid', `a token name must be 1–${TOKEN_NAME_MAX} characters`);
  if (input.expiresAt !== null && !(Number.isSafeInteger(input.expiresAt) && input.expiresAt > Date.now())) {
    throw new AppError('invalid', 'the expiry must be a time in the future');
  }
  if (input.scopes.length === 0) throw new AppError('invalid', 'a token needs at least one scope');
  const role = await getRole(db, input.wiki.id, input.userDid);
  if (!role) throw new AppError('forbidden', `${input.userDid} is not a member of ${input.wiki.slug}`);
  const allowed = scopesForRole(role);
  const excess = input.scopes.filter((s) => !allowed.includes(s));
  if (excess.length) throw new AppError('forbidden', `a member with the role ${role} cannot hold the scope ${excess.join(', ')}`);

  const token = newPersonalAccessToken();
  const id = newId('pat');
  // The membership checked above is checked again inside the write: a member
  // removed in between (whose tokens were just revoked) gets no new one.
  const rolesAllowed = ROLES.filter((r) => input.scopes.every((s) => scopesForRole(r).includes(s)));
  const [inserted] = await db.batch([
    db.run(sql`
      insert into ${personalAccessTokens} (id, wiki_id, user_did, name, token_hash, scopes, created_at, expires_at)
      select ${id}, ${input.wiki.id}, ${input.userDid}, ${name}, ${await hashSecret(token)}, ${input.scopes.join(' ')}, ${Date.now()}, ${input.expiresAt}
      where exists (select 1 from ${members} where wiki_id = ${input.wiki.id} and user_did = ${input.userDid} and role in ${rolesAllowed})`),
    auditInsertIf(db, actor, { action: 'token.mint', wikiId: input.wiki.id, target: id, detail: { name, scopes: input.scopes, user: input.userDid } }, sql`exists (select 1 from ${personalAccessTokens} where id = ${id})`),
  ]);
  if (inserted.rowsAffected !== 1) {
    throw new AppError('conflict', `${input.userDid}'s membership of ${input.wiki.slug} changed while the token was being made; try again`);
  }
  return { id, token };
}

export async function revokePersonalAccessToken(db: Db, id: string, actor: Actor): Promise<void> {
  const [row] = await db.select().from(personalAccessTokens).where(eq(personalAccessTokens.id, id));
  if (!row) throw new AppError('not_found', `no token with id ${id}`);
  if (row.revokedAt !== null) return;
  await db.batch([
    db.update(personalAccessTokens).set({ revokedAt: Date.now() }).where(eq(personalAccessTokens.id, id)),
    auditInsert(db, actor, { action: 'token.revoke', wikiId: row.wikiId, target: id }),
  ]);
}

export async function listPersonalAccessTokens(db: Db, filter: { wikiId?: string; userDid?: string }): Promise<TokenView[]> {
  const conditions = [
    filter.wikiId ? eq(personalAccessTokens.wikiId, filter.wikiId) : undefined,
    filter.userDid ? eq(personalAccessTokens.userDid, filter.userDid) : undefined,
  ];
  const rows = await db
    .select()
    .from(personalAccessTokens)
    .where(and(...conditions))
    .orderBy(desc(personalAccessTokens.createdAt));
  return rows.map(({ tokenHash: _hash, scopes, ...rest }: typeof personalAccessTokens.$inferSelect) => ({ ...rest, scopes: scopes.split(' ') as TokenScope[] }));
}

/**
 * Checks a presented token against the wiki it was presented to. A token for
 * another wiki, a revoked or expired one, or one whose holder is no longer a
 * member grants nothing. Scopes are narrowed to what the member's role allows now.
 */
export async function verifyPersonalAccessToken(db: Db, slug: string, token: string): Promise<TokenGrant | null> {
  if (!token.startsWith(PAT_PREFIX) || token.length > 200) return null;
  const now = Date.now();
  const [row] = await db
    .select({ id: personalAccessTokens.id, wikiId: wikis.id, slug: wikis.slug, userDid: personalAccessTokens.userDid, scopes: personalAccessTokens.scopes, lastUsedAt: personalAccessTokens.lastUsedAt, role: members.role, handle: users.handle, displayName: users.displayName })
    .from(personalAccessTokens)
    .innerJoin(wikis, eq(wikis.id, personalAccessTokens.wikiId))
    .innerJoin(users, eq(users.did, personalAccessTokens.userDid))
    .innerJoin(members, and(eq(members.wikiId, personalAccessTokens.wikiId), eq(members.userDid, personalAccessTokens.userDid)))
    .where(
      and(
        eq(personalAccessTokens.tokenHash, await hashSecret(token)),
        eq(wikis.slug, slug),
        isNull(personalAccessTokens.revokedAt),
        or(isNull(personalAccessTokens.expiresAt), gt(personalAccessTokens.expiresAt, now)),
      ),
    );
  if (!row) return null;
  if (row.lastUsedAt === null || row.lastUsedAt < now - LAST_USED_RESOLUTION_MS) {
    await db
      .update(personalAccessTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(personalAccessTokens.id, row.id), or(isNull(personalAccessTokens.lastUsedAt), lt(personalAccessTokens.lastUsedAt, now - LAST_USED_RESOLUTION_MS))));
  }
  const allowed = scopesForRole(row.role);
  const scopes = (row.scopes.split(' ') as TokenScope[]).filter((s) => allowed.includes(s));
  if (scopes.length === 0) return null; // e.g. a write-only token whose holder is now a viewer
  return { tokenId: row.id, wikiId: row.wikiId, slug: row.slug, userDid: row.userDid, userName: row.displayName || row.handle, role: row.role, scopes };
}
