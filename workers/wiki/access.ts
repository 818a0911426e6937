/**
 * Who is calling a wiki and what they may do. A bearer token is checked by the
 * oauth worker (over JS-RPC) against this wiki only: a token for another wiki
 * is refused here like a forged one. Browser sessions join with the sign-in
 * issue. Private wikis show nothing to non-members.
 */
import type { Role, TokenScope } from '../../db/schema.ts';
import type { Wiki } from '../lib/directory/wikis.ts';
import { AppError } from '../lib/errors.ts';
import type { VerifiedSession } from '../auth/sessions.ts';
import { SESSION_COOKIE } from '../lib/directory/sessions.ts';
import { scopesForRole } from '../lib/roles.ts';
import type { TokenGrant } from '../lib/directory/personal-access-tokens.ts';

export type Caller =
  | { kind: 'anonymous' }
  /** Signed in, but not a member of this wiki: sees what the public sees. */
  | { kind: 'visitor'; did: string; name: string; csrf: string }
  | { kind: 'member'; did: string; name: string; role: Role; scopes: TokenScope[]; via: 'token' }
  | { kind: 'member'; did: string; name: string; role: Role; scopes: TokenScope[]; via: 'session'; csrf: string };

export type Need = 'read' | 'write';

/** The two credential checks, as the auth and oauth workers offer them over JS-RPC. */
export interface Verifiers {
  oauth: { verifyToken(slug: string, token: string): Promise<TokenGrant | null> };
  auth: { verifySession(token: string): Promise<VerifiedSession | null> };
  /** The signed-in person's role in the wiki, or null for non-members. */
  roleOf(wikiId: string, did: string): Promise<Role | null>;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

function sessionCookie(request: Request): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * The caller of `request` on `wiki`: a bearer token (programs), else the
 * platform session cookie (browsers). A bad or foreign token is a 401, never a
 * silent downgrade; a stale cookie just means signed out.
 */
export async function identify(request: Request, wiki: Wiki, bindings: Verifiers): Promise<Caller> {
  const header = request.headers.get('authorization');
  if (!header) {
    const cookie = sessionCookie(request);
    const session = cookie ? await bindings.auth.verifySession(cookie) : null;
    if (!session) return { kind: 'anonymous' };
    const name = session.displayName || session.handle;
    const role = await bindings.roleOf(wiki.id, session.did);
    if (!role) return { kind: 'visitor', did: session.did, name, csrf: session.csrf };
    return { kind: 'member', did: session.did, name, role, scopes: scopesForRole(role), via: 'session', csrf: session.csrf };
  }
  const token = BEARER.exec(header)?.[1];
  if (!token) throw new AppError('unauthorized', 'The Authorization header must be "Bearer <token>".');
  return tokenCaller(token, wiki, bindings);
}

/** The caller holding `token` (an OAuth access token or a personal access token), which must be for `wiki`. */
export async function tokenCaller(token: string, wiki: Wiki, bindings: Verifiers): Promise<Caller> {
  const grant = await bindings.oauth.verifyToken(wiki.slug, token);
  if (!grant) throw new AppError('unauthorized', `This token is not valid for the wiki "${wiki.slug}": it may be revoked, expired, or for another wiki.`);
  return { kind: 'member', did: grant.userDid, name: grant.userName, role: grant.role, scopes: grant.scopes, via: 'token' };
}

/** Throws unless `caller` may `need` on `wiki`. Anonymous callers of a private wiki learn only that they must sign in. */
export function requireAccess(caller: Caller, wiki: Wiki, need: Need): void {
  if (caller.kind === 'anonymous' || caller.kind === 'visitor') {
    if (need === 'read' && wiki.visibility === 'public') return;
    if (caller.kind === 'visitor') throw new AppError('forbidden', `You are signed in, but not a member of "${wiki.slug}". Ask its owner to add you.`);
    throw new AppError('unauthorized', need === 'read' ? 'This wiki is private: authenticate as a member.' : 'Writing needs a credential with write access.');
  }
  const allowed = need === 'read' ? caller.scopes.length > 0 : caller.scopes.includes('write');
  if (!allowed) {
    throw new AppError('forbidden', need === 'write' ? `Your access to "${wiki.slug}" is read-only (role ${caller.role}; scopes ${caller.scopes.join(' ')}).` : 'This credential cannot read this wiki.');
  }
}
