/** Headers every response leaves with, whichever worker made it. */
import { REQUEST_ID_HEADER } from './app.ts';

/** `response` with its headers mutable: itself when they are, else a copy (a service binding's response has immutable headers). */
function mutable(response: Response): Response {
  try {
    response.headers.set('x-content-type-options', 'nosniff');
    return response;
  } catch {
    return new Response(response.body, response);
  }
}

/** The policy of every response that brings none of its own. */
export const DEFAULT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function withSecurityHeaders(response: Response, options: { requestId: string; https: boolean }): Response {
  const out = mutable(response);
  const h = out.headers;
  h.set(REQUEST_ID_HEADER, options.requestId);
  h.set('x-content-type-options', 'nosniff');
  h.set('referrer-policy', 'strict-origin-when-cross-origin');
  if (!h.has('x-frame-options')) h.set('x-frame-options', 'DENY');
  // Pages that need more (the wiki and platform UIs, OAuth consent) set their own; anything else, an
  // HTML error page included, may load and run nothing.
  if (!h.has('content-security-policy')) h.set('content-security-policy', DEFAULT_CSP);
  h.set('cross-origin-opener-policy', 'same-origin');
  if (options.https) h.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  return out;
}
