/**
 * Cross-site request forgery defence for the web UI's forms. Sibling wiki
 * hosts are same-site, so SameSite=Lax cookies alone do not stop a page on
 * `evil.APEX` from posting to `acme.APEX`: every state-changing browser
 * request must come from this very origin (Origin / Sec-Fetch-Site) and carry
 * the session's CSRF token (an HMAC of the session id, from the auth worker).
 */
import { AppError } from '../lib/errors.ts';
import type { Caller } from './access.ts';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

function sameOrigin(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return false;
  const origin = request.headers.get('origin');
  if (origin === null) return site === 'same-origin';
  return origin === new URL(request.url).origin;
}

/** Constant-time comparison of two strings. */
function equal(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Throws unless a browser form post is from this origin with the caller's session token. */
export function requireCsrf(request: Request, caller: Caller, submitted: string | null | undefined): void {
  if (caller.kind !== 'member' && caller.kind !== 'visitor') throw new AppError('unauthorized', 'Sign in first.');
  if (!('csrf' in caller)) return; // bearer tokens are not ambient credentials: no CSRF risk
  if (!sameOrigin(request)) throw new AppError('forbidden', 'This form was sent from another site. Go back to the wiki and try again.');
  if (!submitted || !equal(submitted, caller.csrf)) throw new AppError('forbidden', 'The form expired or was not sent by this wiki. Reload the page and try again.');
}
