/**
 * Grants, codes and tokens of the authorization server. Every secret is
 * random (256 bits, with a type prefix for secret scanners) and stored only
 * as its SHA-256 hash; every lookup names the wiki, so a token of another
 * wiki is simply unknown. Writes that race (code use, refresh rotation) are
 * single atomic batches guarded by compare-and-swap conditions.
 */
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { members, oauthCodes, oauthGrants, oauthTokens, users, wikis, type TokenScope } from '../../db/schema.ts';
import type { Db } from '../lib/db.ts';
import { failUnless, isGuardFailure } from '../lib/directory/guard.ts';
import type { TokenGrant } from '../lib/directory/personal-access-tokens.ts';
import { scopesForRole } from '../lib/roles.ts';
import { hashSecret, newId, randomSecret } from '../lib/tokens.ts';
import type { KnownClient } from './clients.ts';
import { OAuthError } from './oauth-error.ts';
import { toOAuthScope } from './scopes.ts';
import { seal, unseal } from '../lib/sealing.ts';

export const CODE_TTL_MS = 10 * 60_000;
/** Long enough for clients that never refresh (claude-ai-mcp#228); refresh rotates anyway. */
export const ACCESS_TTL_MS = 24 * 3_600_000;
export const REFRESH_TTL_MS = 60 * 86_400_000;
/** A duplicate refresh this soon after the first (racing sessions, two egress IPs) gets the same answer. */
export const REFRESH_GRACE_MS = 2 * 60_000;
/** How stale a grant's `last_used_at` may get before an access token's use writes it again. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const ACCESS_PREFIX = 'wfat_';
const REFRESH_PREFIX = 'wfrt_';
const CODE_PREFIX = 'wfac_';

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export interface NewGrant {
  wikiId: string;
  userDid: string;
  client: KnownClient;
  redirectUri: string;
  scopes: TokenScope[];
  resource: string;
  codeChallenge: string;
}

/** Records a consented grant and returns its authorization code. */
export async function createGrantWithCode(db: Db, g: NewGrant, now = Date.now()): Promise<string> {
  const grantId = newId('grt', 24);
  const code = CODE_PREFIX + randomSecret(32);
  await db.batch([
    db.insert(oauthGrants).values({ id: grantId, wikiId: g.wikiId, userDid: g.userDid, clientId: g.client.clientId, clientName: g.client.name, redirectUri: g.redirectUri, scopes: g.scopes.join(' '), resource: g.resource, createdAt: now }),
    db.insert(oauthCodes).values({ codeHash: await hashSecret(code), grantId, codeChallenge: g.codeChallenge, expiresAt: now + CODE_TTL_MS }),
  ]);
  return code;
}

async function mintPair(db: Db, grant: { id: string; wikiId: string }, scopes: string, now: number) {
  const access = ACCESS_PREFIX + randomSecret(32);
  const refresh = REFRESH_PREFIX + randomSecret(32);
  const answer: TokenAnswer = { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TTL_MS / 1000, refresh_token: refresh, scope: toOAuthScope(scopes.split(' ') as TokenScope[]) };
  const inserts = [
    db.insert(oauthTokens).values({ tokenHash: await hashSecret(access), grantId: grant.id, wikiId: grant.wikiId, kind: 'access', scopes, createdAt: now, expiresAt: now + ACCESS_TTL_MS }),
    db.insert(oauthTokens).values({ tokenHash: await hashSecret(refresh), grantId: grant.id, wikiId: grant.wikiId, kind: 'refresh', scopes, createdAt: now, expiresAt: now + REFRESH_TTL_MS }),
  ] as const;
  return { answer, inserts };
}

function revokeGrant(db: Db, grantId: string, now: number) {
  return db.update(oauthGrants).set({ revokedAt: now }).where(and(eq(oauthGrants.id, grantId), isNull(oauthGrants.revokedAt)));
}

/** PKCE S256: base64url(SHA-256(verifier)) must be the challenge. */
async function pkceMatches(verifier: string, challenge: string): Promise<boolean> {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const b64 = btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return b64 === challenge;
}

export interface CodeExchange {
  wikiId: string;
  client: KnownClient;
  code: string;
  redirectUri: string;
  codeVerifier: string;
  /** Canonical audience asked for, or null when the request named none. */
  resource: string | null;
}

export async function exchangeCode(db: Db, x: CodeExchange, now = Date.now()): Promise<TokenAnswer> {
  const codeHash = await hashSecret(x.code);
  const [row] = await db
    .select({ code: oauthCodes, grant: oauthGrants })
    .from(oauthCodes)
    .innerJoin(oauthGrants, eq(oauthGrants.id, oauthCodes.grantId))
    .where(and(eq(oauthCodes.codeHash, codeHash), eq(oauthGrants.wikiId, x.wikiId)));
  if (!row || row.grant.clientId !== x.client.clientId) throw new OAuthError('invalid_grant', 'The authorization code is not valid for this client and wiki.');
  // The audience is checked before the code is consumed, so a wrong resource does not burn it.
  if (x.resource && x.resource !== row.grant.resource) throw new OAuthError('invalid_target', `This code was issued for ${row.grant.resource}.`);
  if (row.code.usedAt !== null) {
    await revokeGrant(db, row.grant.id, now); // a replayed code: whoever has it, the grant is compromised
    throw new OAuthError('invalid_grant', 'The authorization code was already used; the grant it issued is revoked.');
  }
  if (row.grant.revokedAt !== null || row.code.expiresAt <= now) throw new OAuthError('invalid_grant', 'The authorization code has expired. Authorize again.');
  if (x.redirectUri !== row.grant.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri must be the one the code was issued to.');
  if (!(await pkceMatches(x.codeVerifier, row.code.codeChallenge))) throw new OAuthError('invalid_grant', 'The PKCE code_verifier does not match the code_challenge.');
  const { answer, inserts } = await mintPair(db, row.grant, row.grant.scopes, now);
  try {
    await db.batch([
      failUnless(db, sql`(select ${oauthCodes.usedAt} is null from ${oauthCodes} where ${oauthCodes.codeHash} = ${codeHash})`),
      db.update(oauthCodes).set({ usedAt: now }).where(eq(oauthCodes.codeHash, codeHash)),
      db.update(oauthGrants).set({ lastUsedAt: now }).where(eq(oauthGrants.id, row.grant.id)),
      ...inserts,
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new OAuthError('invalid_grant', 'The authorization code was already used.');
    throw err;
  }
  return answer;
}

/** The key that seals a rotation's answer: derived from the old refresh token, which only its holder has. */
async function rotationKey(refreshToken: string): Promise<CryptoKey> {
  const raw = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`rotation:${refreshToken}`));
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export interface Refresh {
  wikiId: string;
  client: KnownClient;
  refreshToken: string;
  /** Narrower scopes, if asked for. */
  scopes: TokenScope[] | null;
  resource: string | null;
}

export async function refreshTokens(db: Db, r: Refresh, now = Date.now()): Promise<TokenAnswer> {
  const tokenHash = await hashSecret(r.refreshToken);
  const [row] = await db
    .select({ token: oauthTokens, grant: oauthGrants })
    .from(oauthTokens)
    .innerJoin(oauthGrants, eq(oauthGrants.id, oauthTokens.grantId))
    .where(and(eq(oauthTokens.tokenHash, tokenHash), eq(oauthTokens.wikiId, r.wikiId), eq(oauthTokens.kind, 'refresh')));
  if (!row || row.grant.clientId !== r.client.clientId || row.grant.revokedAt !== null || row.token.expiresAt <= now) {
    throw new OAuthError('invalid_grant', 'The refresh token is not valid (revoked, expired, or for another client or wiki). Authorize again.');
  }
  if (r.resource && r.resource !== row.grant.resource) throw new OAuthError('invalid_target', `This refresh token is for ${row.grant.resource}.`);
  if (row.token.rotatedAt !== null) {
    const duplicate = now - row.token.rotatedAt <= REFRESH_GRACE_MS && row.token.rotationAnswer;
    const earlier = duplicate ? await unseal<TokenAnswer>(await rotationKey(r.refreshToken), 'rotation', row.token.rotationAnswer!) : undefined;
    if (earlier) return { ...earlier, expires_in: Math.max(1, earlier.expires_in - Math.floor((now - row.token.rotatedAt) / 1000)) };
    await revokeGrant(db, row.grant.id, now); // an old refresh token replayed: revoke the whole family
    throw new OAuthError('invalid_grant', 'The refresh token was already used; the grant is revoked. Authorize again.');
  }
  const granted = row.token.scopes.split(' ') as TokenScope[];
  const scopes = r.scopes ? r.scopes.filter((s) => granted.includes(s)) : granted;
  if (scopes.length === 0) throw new OAuthError('invalid_scope', 'A refresh may only narrow the granted scopes.');
  const { answer, inserts } = await mintPair(db, row.grant, scopes.join(' '), now);
  const sealed = await seal(await rotationKey(r.refreshToken), 'rotation', answer);
  try {
    await db.batch([
      failUnless(db, sql`(select ${oauthTokens.rotatedAt} is null from ${oauthTokens} where ${oauthTokens.tokenHash} = ${tokenHash})`),
      db.update(oauthTokens).set({ rotatedAt: now, rotationAnswer: sealed }).where(eq(oauthTokens.tokenHash, tokenHash)),
      db.update(oauthGrants).set({ lastUsedAt: now }).where(eq(oauthGrants.id, row.grant.id)),
      ...inserts,
    ]);
  } catch (err) {
    // Another request rotated it a moment ago: answer what it answered.
    if (isGuardFailure(err)) return refreshTokens(db, r, now);
    throw err;
  }
  return answer;
}

/** RFC 7009: revokes the grant behind an access or refresh token of this wiki; unknown tokens are fine. */
export async function revokeToken(db: Db, wikiId: string, token: string, now = Date.now()): Promise<void> {
  const [row] = await db.select({ grantId: oauthTokens.grantId }).from(oauthTokens).where(and(eq(oauthTokens.tokenHash, await hashSecret(token)), eq(oauthTokens.wikiId, wikiId)));
  if (row) await revokeGrant(db, row.grantId, now);
}

/**
 * What an OAuth access token presented to wiki `slug` grants, or null.
 * Scopes are narrowed to the holder's current role; a former member gets nothing.
 */
export async function verifyAccessToken(db: Db, slug: string, token: string, now = Date.now()): Promise<TokenGrant | null> {
  if (!token.startsWith(ACCESS_PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({ grantId: oauthGrants.id, wikiId: wikis.id, slug: wikis.slug, userDid: oauthGrants.userDid, scopes: oauthTokens.scopes, lastUsedAt: oauthGrants.lastUsedAt, role: members.role, handle: users.handle, displayName: users.displayName })
    .from(oauthTokens)
    .innerJoin(oauthGrants, eq(oauthGrants.id, oauthTokens.grantId))
    .innerJoin(wikis, eq(wikis.id, oauthTokens.wikiId))
    .innerJoin(users, eq(users.did, oauthGrants.userDid))
    .innerJoin(members, and(eq(members.wikiId, oauthGrants.wikiId), eq(members.userDid, oauthGrants.userDid)))
    .where(and(eq(oauthTokens.tokenHash, await hashSecret(token)), eq(wikis.slug, slug), eq(oauthTokens.kind, 'access'), gt(oauthTokens.expiresAt, now), isNull(oauthGrants.revokedAt)));
  if (!row) return null;
  // The platform's connected-clients list shows the last use: kept to the minute, so a busy client costs a write a minute, not one per call.
  if (row.lastUsedAt === null || row.lastUsedAt < now - LAST_USED_RESOLUTION_MS) {
    await db
      .update(oauthGrants)
      .set({ lastUsedAt: now })
      .where(and(eq(oauthGrants.id, row.grantId), or(isNull(oauthGrants.lastUsedAt), lt(oauthGrants.lastUsedAt, now - LAST_USED_RESOLUTION_MS))));
  }
  const allowed = scopesForRole(row.role);
  const scopes = (row.scopes.split(' ') as TokenScope[]).filter((s) => allowed.includes(s));
  if (scopes.length === 0) return null;
  return { tokenId: row.grantId, wikiId: row.wikiId, slug: row.slug, userDid: row.userDid, userName: row.displayName || row.handle, role: row.role, scopes };
}

/** Drops expired codes and tokens (their grants stay, for the connected-clients list). */
export async function purgeExpired(db: Db, now = Date.now()): Promise<void> {
  await db.batch([db.delete(oauthCodes).where(lt(oauthCodes.expiresAt, now - CODE_TTL_MS)), db.delete(oauthTokens).where(lt(oauthTokens.expiresAt, now))]);
}
