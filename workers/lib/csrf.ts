/**
 * Cross-site request forgery defence shared by the wiki and the platform.
 * Sibling wiki hosts are same-site, so SameSite=Lax cookies alone do not stop
 * a page on `evil.APEX` from posting to `acme.APEX` or to the apex: every
 * state-changing request made with the session cookie must come from the very
 * origin it is sent to (Origin / Sec-Fetch-Site) and carry the session's CSRF
 * token (an HMAC of the session id, from the auth worker).
 */
import { AppError } from './errors.ts';

/** The form field and the header that carry the CSRF token. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * True when the browser says the request comes from `origin` (by default the
 * origin it is sent to): its Origin header, or Sec-Fetch-Site when it sends no
 * Origin. A request with neither is not provably same-origin.
 */
export function isSameOrigin(request: Request, origin = new URL(request.url).origin): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return false;
  const sent = request.headers.get('origin');
  if (sent === null) return site === 'same-origin';
  return sent === origin;
}

/** Constant-time comparison of two strings. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface CsrfMessages {
  /** Said when the request came from another origin. */
  foreignOrigin: string;
  /** Said when the token is missing or wrong. */
  badToken: string;
}

/**
 * Throws `forbidden` unless `request` comes from `origin` (default: its own)
 * and `submitted` is the session's CSRF token `expected`.
 */
export function requireSameOriginToken(request: Request, expected: string, submitted: string | null | undefined, messages: CsrfMessages, origin?: string): void {
  if (!isSameOrigin(request, origin)) throw new AppError('forbidden', messages.foreignOrigin);
  if (!submitted || !constantTimeEqual(submitted, expected)) throw new AppError('forbidden', messages.badToken);
}
