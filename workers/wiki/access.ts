/**
 * Who is calling a wiki and what they may do. A bearer token is checked by the
 * oauth worker (over JS-RPC) against this wiki only: a token for another wiki
 * is refused here like a forged one. Browser sessions join with the sign-in
 * issue. Private wikis show nothing to non-members.
 */
import { eq } from 'drizzle-orm';
import { users, type Role, type TokenScope } from '../../db/schema.ts';
import type { Db } from '../lib/db.ts';
import type { Wiki } from '../lib/directory/wikis.ts';
import { AppError } from '../lib/errors.ts';
import type { OAuthRpc } from '../oauth/index.ts';

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'member'; did: string; name: string; role: Role; scopes: TokenScope[]; via: 'token' };

export type Need = 'read' | 'write';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

/** The caller of `request` on `wiki`; a bad or foreign credential is a 401, never a silent downgrade. */
export async function identify(request: Request, wiki: Wiki, oauth: Service<OAuthRpc>, db: Db): Promise<Caller> {
  const header = request.headers.get('authorization');
  if (!header) return { kind: 'anonymous' };
  const token = BEARER.exec(header)?.[1];
  if (!token) throw new AppError('unauthorized', 'The Authorization header must be "Bearer <token>".');
  const grant = await oauth.verifyToken(wiki.slug, token);
  if (!grant) throw new AppError('unauthorized', `This token is not valid for the wiki "${wiki.slug}": it may be revoked, expired, or for another wiki.`);
  const [user] = await db.select({ handle: users.handle, displayName: users.displayName }).from(users).where(eq(users.did, grant.userDid));
  return { kind: 'member', did: grant.userDid, name: user?.displayName || user?.handle || grant.userDid, role: grant.role, scopes: grant.scopes, via: 'token' };
}

/** Throws unless `caller` may `need` on `wiki`. Anonymous callers of a private wiki learn only that they must sign in. */
export function requireAccess(caller: Caller, wiki: Wiki, need: Need): void {
  if (caller.kind === 'anonymous') {
    if (need === 'read' && wiki.visibility === 'public') return;
    throw new AppError('unauthorized', need === 'read' ? 'This wiki is private: authenticate as a member.' : 'Writing needs a credential with write access.');
  }
  const allowed = need === 'read' ? caller.scopes.length > 0 : caller.scopes.includes('write');
  if (!allowed) {
    throw new AppError('forbidden', need === 'write' ? `Your access to "${wiki.slug}" is read-only (role ${caller.role}; scopes ${caller.scopes.join(' ')}).` : 'This credential cannot read this wiki.');
  }
}
