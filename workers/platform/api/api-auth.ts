/**
 * Who is calling the management API: a personal access token (a program,
 * bound to one wiki, so only that wiki's calls take it) or the session cookie
 * (a browser or a script holding it), whose state-changing calls must come
 * from this site (Origin) with the session's CSRF token in `x-csrf-token`.
 */
import { CSRF_HEADER, requireSameOriginToken } from '../../lib/csrf.ts';
import { verifyPersonalAccessToken } from '../../lib/directory/personal-access-tokens.ts';
import { AppError } from '../../lib/errors.ts';
import { requestIdOf } from '../../lib/worker/app.ts';
import { dbFor } from '../../lib/worker/db.ts';
import type { Manager } from '../manage/manager.ts';
import { currentSession, type PlatformContext } from '../session.ts';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The caller as a Manager. `slug` names the wiki of a wiki-scoped call
 * (where a token is accepted); null for account-level calls (session only).
 */
export async function apiManager(c: PlatformContext, slug: string | null): Promise<Manager> {
  const db = dbFor(c.env);
  const requestId = requestIdOf(c.req.raw);
  const base = { db, env: c.env, ...(requestId ? { requestId } : {}) };
  const authorization = c.req.header('authorization');
  if (authorization) {
    const token = BEARER.exec(authorization)?.[1];
    if (!token) throw new AppError('unauthorized', 'The Authorization header must be "Bearer <personal access token>".');
    if (slug === null) {
      throw new AppError('forbidden', "A personal access token works only on its own wiki's calls (/api/wikis/{slug}/…); account calls need a signed-in session.");
    }
    const grant = await verifyPersonalAccessToken(db, slug, token);
    if (!grant) throw new AppError('unauthorized', `This token is not valid for the wiki "${slug.slice(0, 63)}": it may be revoked, expired, or for another wiki.`);
    return { ...base, principal: { kind: 'token', grant } };
  }
  const session = await currentSession(c);
  if (!session) throw new AppError('unauthorized', 'Sign in, or send a personal access token (Authorization: Bearer wfpat_…).');
  if (!SAFE_METHODS.has(c.req.method)) {
    requireSameOriginToken(
      c.req.raw,
      session.csrf,
      c.req.header(CSRF_HEADER),
      {
        foreignOrigin: 'Calls made with the session cookie must come from this site (the Origin header).',
        badToken: `Calls made with the session cookie need the session's CSRF token in the ${CSRF_HEADER} header (GET /api/me shows it).`,
      },
      new URL(c.env.PUBLIC_ORIGIN).origin,
    );
  }
  return { ...base, principal: { kind: 'session', session } };
}
