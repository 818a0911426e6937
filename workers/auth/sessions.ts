/** Session verification for every worker (over JS-RPC): the token, then the session row, then the user. */
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import type { Db } from '../lib/db.ts';
import { activeSession } from '../lib/directory/sessions.ts';
import { verifySessionToken } from '../lib/session-token.ts';
import { csrfKey, sessionVerifyKey } from './keys.ts';

export interface VerifiedSession {
  did: string;
  handle: string;
  displayName: string | null;
  isPlatformAdmin: boolean;
  sessionId: string;
  /** The CSRF token for this session's forms: an HMAC of the session id. */
  csrf: string;
}

function base64url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function verifySession(env: { SESSION_JWK: string; DATA_KEY: string }, db: Db, token: string): Promise<VerifiedSession | null> {
  const claims = await verifySessionToken(await sessionVerifyKey(env), token);
  if (!claims) return null;
  const session = await activeSession(db, claims.sessionId, claims.did);
  if (!session) return null;
  const [user] = await db.select().from(users).where(eq(users.did, claims.did));
  if (!user) return null;
  const mac = await crypto.subtle.sign('HMAC', await csrfKey(env), new TextEncoder().encode(`csrf:${session.id}`));
  return { did: user.did, handle: user.handle, displayName: user.displayName, isPlatformAdmin: user.isPlatformAdmin, sessionId: session.id, csrf: base64url(mac) };
}
