/**
 * Who is managing, as every management operation sees it: a signed-in person
 * (the dashboard, or the API with the session cookie), or a personal access
 * token (the API only), which is bound to one wiki.
 */
import type { Actor } from '../../lib/directory/audit.ts';
import type { TokenGrant } from '../../lib/directory/personal-access-tokens.ts';
import type { Db } from '../../lib/db.ts';
import { AppError } from '../../lib/errors.ts';
import type { Env } from '../env.ts';
import type { SessionUser } from '../session.ts';

export type Principal = { kind: 'session'; session: SessionUser } | { kind: 'token'; grant: TokenGrant };

export interface Manager {
  db: Db;
  env: Env;
  principal: Principal;
  /** The gateway's request id, kept in audit entries. */
  requestId?: string;
}

/** The DID of whoever is managing. */
export function didOf(m: Manager): string {
  return m.principal.kind === 'session' ? m.principal.session.did : m.principal.grant.userDid;
}

/** The audit actor: the person, or the person's token. */
export function actorOf(m: Manager): Actor {
  return { kind: m.principal.kind === 'session' ? 'user' : 'token', did: didOf(m), ...(m.requestId ? { requestId: m.requestId } : {}) };
}

/** The signed-in person; tokens are refused (`what` says what they tried). */
export function requireSession(m: Manager, what: string): SessionUser {
  if (m.principal.kind !== 'session') {
    throw new AppError('forbidden', `A personal access token cannot ${what}: that needs a signed-in session. Tokens manage only their own wiki.`);
  }
  return m.principal.session;
}

/**
 * Tells the wiki worker that wikis, members, tokens or sessions changed, so
 * it forgets what it remembered (~1 s otherwise). The change is already
 * made: a failure here is logged, not raised.
 */
export async function directoryChanged(env: Env): Promise<void> {
  try {
    await env.WIKI.forgetDirectory();
  } catch (err) {
    console.error('[platform] could not tell the wiki worker that the directory changed', err);
  }
}
