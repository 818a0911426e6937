/**
 * Headers on every UI response: a strict Content-Security-Policy (no inline
 * script or style anywhere; scripts, styles and fonts only from this origin),
 * no framing, no caching of pages that may be private.
 */

/** The UI's policy. `img-src https:` lets pages show images from the web; nothing else leaves the origin. */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Adds the UI's security headers to `response` (a copy when its headers are
 * immutable). A response that brought its own policy (attachments: a
 * sandbox) keeps it.
 */
export function withUiHeaders(response: Response): Response {
  let out = response;
  try {
    out.headers.set('x-content-type-options', 'nosniff');
  } catch {
    out = new Response(response.body, response);
  }
  const h = out.headers;
  if (!h.has('content-security-policy')) h.set('content-security-policy', UI_CSP);
  h.set('x-content-type-options', 'nosniff');
  h.set('x-frame-options', 'DENY');
  h.set('referrer-policy', 'strict-origin-when-cross-origin');
  h.set('cross-origin-opener-policy', 'same-origin');
  h.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (!h.has('cache-control')) h.set('cache-control', 'private, no-store');
  h.append('vary', 'Cookie');
  return out;
}
