/**
 * Personal access tokens on a wiki: your own (minted only by you, for a wiki
 * you belong to, never wider than your role), and, for owners and admins,
 * everyone's, so a leaked token can be revoked by whoever runs the wiki.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { personalAccessTokens, TOKEN_SCOPES, users } from '../../../db/schema.ts';
import { listPersonalAccessTokens, mintPersonalAccessToken, revokePersonalAccessToken, TOKEN_NAME_MAX, type TokenView } from '../../lib/directory/personal-access-tokens.ts';
import { AppError } from '../../lib/errors.ts';
import { enforceRate, RATE_RULES } from '../../lib/limits/rate-limit.ts';
import { scopesForRole } from '../../lib/roles.ts';
import { actorOf, didOf, directoryChanged, requireSession, type Manager } from './manager.ts';
import { canManage, checkTokenRevoke } from './policy.ts';
import { openWiki, type WikiAccess } from './wiki-access.ts';

/** Longest a token may live, in days; `null` (never expires) is allowed too. */
export const TOKEN_MAX_DAYS = 3650;

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(TOKEN_NAME_MAX),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, 'choose at least one scope').max(2),
  expires_in_days: z.number().int().min(1).max(TOKEN_MAX_DAYS).nullable(),
});
export type NewToken = z.infer<typeof newTokenSchema>;

export interface WikiTokenView extends TokenView {
  handle: string;
}

export interface TokenLists {
  access: WikiAccess;
  /** The caller's tokens on this wiki, newest first. */
  mine: TokenView[];
  /** Everyone else's, for owners and admins; null for other roles. */
  others: WikiTokenView[] | null;
}

export async function listTokensFor(m: Manager, slug: string): Promise<TokenLists> {
  const access = await openWiki(m, slug, 'read');
  const me = didOf(m);
  const mine = await listPersonalAccessTokens(m.db, { wikiId: access.wiki.id, userDid: me });
  if (!canManage(access.role)) return { access, mine, others: null };
  const all = await listPersonalAccessTokens(m.db, { wikiId: access.wiki.id });
  const holders = await m.db
    .select({ id: personalAccessTokens.id, handle: users.handle })
    .from(personalAccessTokens)
    .innerJoin(users, eq(users.did, personalAccessTokens.userDid))
    .where(eq(personalAccessTokens.wikiId, access.wiki.id));
  const handleOf = new Map(holders.map((h) => [h.id, h.handle]));
  const others = all.filter((t) => t.userDid !== me).map((t) => ({ ...t, handle: handleOf.get(t.id) ?? t.userDid }));
  return { access, mine, others };
}

/** Mints a token for the signed-in person; the secret is in the answer and nowhere else, ever. */
export async function mintTokenFor(m: Manager, slug: string, input: NewToken): Promise<{ access: WikiAccess; token: string; view: TokenView }> {
  const session = requireSession(m, 'make tokens');
  const access = await openWiki(m, slug, 'read');
  const excess = input.scopes.filter((scope) => !scopesForRole(access.role).includes(scope));
  if (excess.length) throw new AppError('forbidden', `As ${access.role === 'admin' || access.role === 'owner' ? 'an' : 'a'} ${access.role} of "${slug}" you cannot hold a token with the ${excess.join(', ')} scope.`);
  await enforceRate(m.db, RATE_RULES.tokenMintPerUser, session.did);
  const expiresAt = input.expires_in_days === null ? null : Date.now() + input.expires_in_days * 86_400_000;
  const { id, token } = await mintPersonalAccessToken(m.db, { wiki: access.wiki, userDid: session.did, name: input.name, scopes: input.scopes, expiresAt }, actorOf(m));
  await directoryChanged(m.env);
  const [view] = await listPersonalAccessTokens(m.db, { wikiId: access.wiki.id, userDid: session.did }).then((list) => list.filter((t) => t.id === id));
  if (!view) throw new Error(`token ${id} vanished right after it was minted`);
  return { access, token, view };
}

/** Revokes a token of this wiki: your own, or (owners and admins) anyone's. */
export async function revokeTokenFor(m: Manager, slug: string, tokenId: string): Promise<void> {
  const access = await openWiki(m, slug, m.principal.kind === 'token' ? 'change' : 'read');
  const [row] = await m.db
    .select({ userDid: personalAccessTokens.userDid })
    .from(personalAccessTokens)
    .where(and(eq(personalAccessTokens.id, tokenId.slice(0, 100)), eq(personalAccessTokens.wikiId, access.wiki.id)));
  if (!row) throw new AppError('not_found', `"${slug}" has no token ${tokenId.slice(0, 100)}.`);
  checkTokenRevoke(access.role, row.userDid === didOf(m), slug);
  await revokePersonalAccessToken(m.db, tokenId, actorOf(m));
  await directoryChanged(m.env);
}
