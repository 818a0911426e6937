/** The wiki and caller of a REST API call, resolved once per request. */
import type { Context } from 'hono';
import { wikiRequest, type Env, type WikiContext, type WikiRequest } from '../context.ts';
import { CSRF_HEADER, requireCsrf } from '../csrf.ts';
import { requireAccess } from '../access.ts';
import { admitWrite } from '../write-limits.ts';

export interface ApiEnv {
  Bindings: Env;
  Variables: {
    /** Set by the first call of `apiRequest` in this request (read access checked). */
    wikiRequest: WikiRequest;
  };
}

export type ApiContext = Context<ApiEnv>;

/**
 * The wiki and caller for an API call. Browser sessions are ambient
 * credentials: their writes must carry the CSRF token in `x-csrf-token` and
 * come from this origin, or a page on a sibling wiki could post here.
 */
export async function apiRequest(c: ApiContext, need: 'read' | 'write'): Promise<WikiRequest> {
  let request = c.get('wikiRequest');
  if (!request) {
    request = await wikiRequest(c as unknown as WikiContext, 'read');
    c.set('wikiRequest', request);
  }
  if (need === 'write') {
    requireAccess(request.caller, request.wiki, 'write');
    if (request.caller.kind === 'member' && request.caller.via === 'session') requireCsrf(c.req.raw, request.caller, c.req.header(CSRF_HEADER));
    admitWrite(c.env, request.repo, request.caller, c.req.raw);
  }
  return request;
}
