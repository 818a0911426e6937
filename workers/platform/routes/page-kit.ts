/**
 * What every page route needs: the signed-in person (or a trip to the
 * sign-in page), a management context, forms checked for CSRF before
 * anything else, and HTML responses with the platform's security headers.
 */
import { Hono } from 'hono';
import { CSRF_FIELD, requireSameOriginToken } from '../../lib/csrf.ts';
import { AppError } from '../../lib/errors.ts';
import type { Html } from '../../lib/html.ts';
import { dbFor } from '../../lib/worker/db.ts';
import { requestIdOf } from '../../lib/worker/app.ts';
import type { Env } from '../env.ts';
import type { Manager } from '../manage/manager.ts';
import { currentSession, type PlatformContext, type PlatformVariables, type SessionUser } from '../session.ts';
import { errorPage } from '../views/error.ts';

export type PageApp = Hono<{ Bindings: Env; Variables: PlatformVariables }>;

export function pageApp(): PageApp {
  return new Hono<{ Bindings: Env; Variables: PlatformVariables }>();
}

/** No script anywhere; styles only from this origin; forms post only here. */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The sign-in form posts to /auth/login, which redirects to the person's
 * account server (https, or a local development PDS): browsers apply
 * form-action to those redirects too.
 */
export const SIGN_IN_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' https: http://localhost:* http://127.0.0.1:*; base-uri 'none'; frame-ancestors 'none'";

/** An HTML page. Pages show who is signed in, so nothing is cached and caches key on the cookie. */
export function htmlResponse(body: Html, status = 200, options: { csp?: string; headers?: Record<string, string> } = {}): Response {
  return new Response(body.toString(), {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': options.csp ?? PAGE_CSP,
      'cache-control': 'private, no-store',
      vary: 'Cookie',
      ...options.headers,
    },
  });
}

/** POST/redirect/GET: "see the result over there" (a path on the apex). */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

/** Thrown when a page needs a signed-in person; the app's error handler sends them to sign in and back. */
export class SignInRequired extends Error {
  readonly returnTo: string;
  constructor(returnTo: string) {
    super('sign in required');
    this.returnTo = returnTo;
  }
}

export async function requireSignedIn(c: PlatformContext): Promise<SessionUser> {
  const session = await currentSession(c);
  if (session) return session;
  const url = new URL(c.req.url);
  throw new SignInRequired(c.req.method === 'GET' ? `${url.pathname}${url.search}` : url.pathname);
}

export function managerFor(c: PlatformContext, session: SessionUser): Manager {
  const requestId = requestIdOf(c.req.raw);
  return { db: dbFor(c.env), env: c.env, principal: { kind: 'session', session }, ...(requestId ? { requestId } : {}) };
}

/** A parsed form's text fields. */
export class FormFields {
  readonly #fields: Record<string, unknown>;
  constructor(fields: Record<string, unknown>) {
    this.#fields = fields;
  }
  /** Every text value sent as `name`. */
  all(name: string): string[] {
    const v = this.#fields[name];
    const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
    return list.filter((x): x is string => typeof x === 'string');
  }
  /** The first text value of `name`, or ''. */
  text(name: string): string {
    return this.all(name)[0] ?? '';
  }
  /** The names of the fields sent. */
  names(): string[] {
    return Object.keys(this.#fields);
  }
}

/**
 * Reads a form and checks, before anything else happens, that this site's own
 * page sent it (Origin) with the session's CSRF token. Sibling wiki hosts are
 * same-site, so the SameSite cookie alone would let them post here.
 */
export async function readForm(c: PlatformContext, session: SessionUser): Promise<FormFields> {
  const type = c.req.header('content-type') ?? '';
  let parsed: Record<string, unknown> = {};
  if (/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
    try {
      parsed = await c.req.parseBody({ all: true });
    } catch {
      throw new AppError('invalid', 'The form could not be read. Reload the page and try again.');
    }
  }
  const form = new FormFields(parsed);
  requireSameOriginToken(
    c.req.raw,
    session.csrf,
    form.text(CSRF_FIELD),
    {
      foreignOrigin: 'This form was sent from another site. Go back to your wikis and try again.',
      badToken: 'The form expired or was not sent by this site. Reload the page and try again.',
    },
    new URL(c.env.PUBLIC_ORIGIN).origin,
  );
  return form;
}

/** What `?done=` may say after a redirect: fixed messages, so nothing in a link is echoed. */
const NOTICES: Record<string, string> = {
  created: 'Your wiki is ready. Connect Claude to it below.',
  saved: 'Settings saved.',
  transferred: 'The wiki has a new owner. You are now an admin.',
  deleted: 'The wiki was deleted.',
  added: 'Collaborator added.',
  role: 'Role changed.',
  removed: 'Collaborator removed.',
  left: 'You left the wiki.',
  revoked: 'Token revoked.',
  disconnected: 'App disconnected. Its access stopped at once.',
  'session-revoked': 'That session is signed out.',
  'account-deleted': 'Your account was deleted. Thank you for using Wikifarm.',
};

export function noticeOf(c: PlatformContext): string | null {
  return NOTICES[c.req.query('done') ?? ''] ?? null;
}

/**
 * Runs a form's action; an expected failure (bad input, a rule, a clash, a
 * rate limit) shows the form again with the message instead of an error page.
 * Unexpected errors, a missing store and lost sessions go to the app's handler.
 */
export async function formAction(run: () => Promise<Response>, again: (error: AppError) => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'unavailable' || err.code === 'unauthorized') throw err;
    const response = await again(err);
    const retry = err.details?.retry_after;
    if (err.code === 'rate_limited' && typeof retry === 'number') response.headers.set('retry-after', String(retry));
    return response;
  }
}

/** The friendly error page for `status`, with its headers. */
export function errorPageResponse(status: number, message: string, session: SessionUser | null, retryAfterS?: number): Response {
  const headers: Record<string, string> = retryAfterS ? { 'retry-after': String(retryAfterS) } : {};
  return htmlResponse(errorPage(status, message, session, retryAfterS), status, { headers });
}
