/**
 * The UI's view of a request: the wiki request (wiki, caller, repository)
 * plus what templates need to know about the caller, and the hono types of
 * the UI sub-app.
 */
import type { Context } from 'hono';
import { requireAccess, type Caller, type Need } from '../access.ts';
import { wikiRequest, type Env, type WikiContext, type WikiRequest } from '../context.ts';
import { admitWrite } from '../write-limits.ts';

/** Bindings and per-request variables of the UI sub-app. */
export interface UiEnv {
  Bindings: Env;
  Variables: {
    /** Set once the caller passed the wiki's access check: error pages may then show the wiki's layout. */
    granted: UiRequest;
  };
}

export type UiContext = Context<UiEnv>;

/** A wiki request the caller may make, with the caller's write permission and CSRF token. */
export interface UiRequest extends WikiRequest {
  /** The caller may change pages (a member whose scopes include write). */
  canWrite: boolean;
  /** The session's CSRF token for forms; '' for callers without a session (bearer tokens need none). */
  csrf: string;
}

/** True when `caller` may write the wiki. */
export function mayWrite(caller: Caller): boolean {
  return caller.kind === 'member' && caller.scopes.includes('write');
}

function csrfOf(caller: Caller): string {
  return 'csrf' in caller ? caller.csrf : '';
}

/**
 * Resolves wiki and caller and checks access (`need`). Read access is checked
 * first and remembered, so that a refused write still gets an error page
 * with the wiki's frame (and a sign-in offer), while a private wiki shows
 * non-members nothing.
 */
export async function uiRequest(c: UiContext, need: Need): Promise<UiRequest> {
  // The UI's context only adds a variable to the wiki's: the same request and bindings.
  const request = await wikiRequest(c as unknown as WikiContext, 'read');
  const ui: UiRequest = { ...request, canWrite: mayWrite(request.caller), csrf: csrfOf(request.caller) };
  c.set('granted', ui);
  if (need === 'write') {
    requireAccess(request.caller, request.wiki, 'write');
    // Forms are shown with GET; only what they send is a write.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') admitWrite(c.env, request.repo, request.caller, c.req.raw);
  }
  return ui;
}
