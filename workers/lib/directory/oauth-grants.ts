/**
 * Connected clients: the OAuth grants of a wiki (an MCP client such as
 * Claude, authorised by one member on the wiki's consent page), as the
 * platform lists and revokes them. A grant is active while it is not revoked
 * and still has an unexpired access or refresh token; revoking it stops every
 * token it issued at once (the oauth worker checks `revoked_at` on each use).
 * The oauth worker owns how grants come about (workers/oauth/grants.ts).
 */
import { and, desc, eq, exists, gt, isNull } from 'drizzle-orm';
import { oauthGrants, oauthTokens, users, type TokenScope } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import { auditInsert, type Actor } from './audit.ts';

export interface ConnectionView {
  id: string;
  wikiId: string;
  clientId: string;
  clientName: string;
  redirectUri: string;
  /** Where the client receives its codes (host and port): what tells two installations of one client apart. */
  redirectHost: string;
  /** Who authorised it. */
  userDid: string;
  handle: string;
  displayName: string | null;
  scopes: TokenScope[];
  createdAt: number;
  lastUsedAt: number | null;
}

/** The host (and port) of a redirect URI; the URI itself if it does not parse. */
export function redirectHostOf(redirectUri: string): string {
  try {
    return new URL(redirectUri).host || redirectUri;
  } catch {
    return redirectUri;
  }
}

/** The active grants of a wiki (of one person, with `userDid`), newest first. */
export async function listActiveGrants(db: Db, filter: { wikiId: string; userDid?: string }, now = Date.now()): Promise<ConnectionView[]> {
  const live = db
    .select({ one: oauthTokens.grantId })
    .from(oauthTokens)
    .where(and(eq(oauthTokens.grantId, oauthGrants.id), gt(oauthTokens.expiresAt, now)));
  const rows = await db
    .select({ grant: oauthGrants, handle: users.handle, displayName: users.displayName })
    .from(oauthGrants)
    .innerJoin(users, eq(users.did, oauthGrants.userDid))
    .where(and(eq(oauthGrants.wikiId, filter.wikiId), filter.userDid ? eq(oauthGrants.userDid, filter.userDid) : undefined, isNull(oauthGrants.revokedAt), exists(live)))
    .orderBy(desc(oauthGrants.createdAt), desc(oauthGrants.id));
  return rows.map(({ grant: g, handle, displayName }) => ({
    id: g.id,
    wikiId: g.wikiId,
    clientId: g.clientId,
    clientName: g.clientName,
    redirectUri: g.redirectUri,
    redirectHost: redirectHostOf(g.redirectUri),
    userDid: g.userDid,
    handle,
    displayName,
    scopes: g.scopes.split(' ').filter(Boolean) as TokenScope[],
    createdAt: g.createdAt,
    lastUsedAt: g.lastUsedAt,
  }));
}

/** The grant `id` of wiki `wikiId` (revoked or not), or null: who authorised it, for permission checks. */
export async function findGrant(db: Db, wikiId: string, id: string): Promise<{ id: string; userDid: string; revokedAt: number | null } | null> {
  const [row] = await db
    .select({ id: oauthGrants.id, userDid: oauthGrants.userDid, revokedAt: oauthGrants.revokedAt })
    .from(oauthGrants)
    .where(and(eq(oauthGrants.id, id), eq(oauthGrants.wikiId, wikiId)));
  return row ?? null;
}

/**
 * Revokes a grant of wiki `wikiId`: its access and refresh tokens stop
 * working. Audited; revoking a revoked grant changes nothing.
 */
export async function revokeGrant(db: Db, wikiId: string, id: string, actor: Actor, now = Date.now()): Promise<void> {
  const [row] = await db.select().from(oauthGrants).where(and(eq(oauthGrants.id, id), eq(oauthGrants.wikiId, wikiId)));
  if (!row) throw new AppError('not_found', `no connected app with id ${id}`);
  if (row.revokedAt !== null) return;
  await db.batch([
    db.update(oauthGrants).set({ revokedAt: now }).where(and(eq(oauthGrants.id, id), isNull(oauthGrants.revokedAt))),
    auditInsert(db, actor, { action: 'grant.revoke', wikiId, target: id, detail: { client_id: row.clientId, client_name: row.clientName, user: row.userDid } }),
  ]);
}
