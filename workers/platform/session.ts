/**
 * Who is signed in: the `wf_session` cookie, verified by the auth worker
 * (signature, then the session row, so revocation counts at once). Asked at
 * most once per request.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { VerifiedSession } from '../auth/sessions.ts';
import { SESSION_COOKIE } from '../lib/directory/sessions.ts';
import type { Env } from './env.ts';

export type SessionUser = VerifiedSession;

export type PlatformVariables = { session?: SessionUser | null };
export type PlatformContext = Context<{ Bindings: Env; Variables: PlatformVariables }>;

/** The signed-in person, or null (no cookie, or one that no longer names a live session). */
export async function currentSession(c: PlatformContext): Promise<SessionUser | null> {
  const known = c.get('session');
  if (known !== undefined) return known;
  const token = getCookie(c, SESSION_COOKIE);
  const session = token && token.length <= 4096 ? await c.env.AUTH.verifySession(token) : null;
  c.set('session', session);
  return session;
}

/** The display name of a person: their name when they set one, else their handle. */
export function nameOf(person: { displayName: string | null; handle: string }): string {
  return person.displayName || person.handle;
}
