/**
 * Cross-site request forgery defence for the web UI's forms and the REST
 * API's session-authenticated writes (the shared rule: workers/lib/csrf.ts).
 * Every state-changing browser request must come from this very origin and
 * carry the caller's session CSRF token; bearer tokens are not ambient, so
 * they need neither.
 */
import { CSRF_FIELD, CSRF_HEADER, requireSameOriginToken } from '../lib/csrf.ts';
import { AppError } from '../lib/errors.ts';
import type { Caller } from './access.ts';

export { CSRF_FIELD, CSRF_HEADER };

/** Throws unless a browser form post is from this origin with the caller's session token. */
export function requireCsrf(request: Request, caller: Caller, submitted: string | null | undefined): void {
  if (caller.kind !== 'member' && caller.kind !== 'visitor') throw new AppError('unauthorized', 'Sign in first.');
  if (!('csrf' in caller)) return; // bearer tokens are not ambient credentials: no CSRF risk
  requireSameOriginToken(request, caller.csrf, submitted, {
    foreignOrigin: 'This form was sent from another site. Go back to the wiki and try again.',
    badToken: 'The form expired or was not sent by this wiki. Reload the page and try again.',
  });
}
