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
/** Every UI answer's security headers (the CSP unless the answer brings its own). */
export const UI_HEADERS: readonly (readonly [string, string])[] = [
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'strict-origin-when-cross-origin'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
];

/**
 * The headers of an HTML page made here, all given to the Response at once
 * (each `Headers#set` is a call into the runtime; the page view is the
 * busiest answer). `withUiHeaders` leaves such an answer as it is.
 */
export const UI_PAGE_HEADERS: [string, string][] = [
  ['content-type', 'text/html; charset=utf-8'],
  ['content-security-policy', UI_CSP],
  ...UI_HEADERS.map(([k, v]) => [k, v] as [string, string]),
  ['cache-control', 'private, no-store'],
  ['vary', 'Cookie'],
];

export function withUiHeaders(response: Response): Response {
  // Made with UI_PAGE_HEADERS (x-frame-options comes only from here): complete already.
  if (response.headers.has('x-frame-options')) return response;
  let out = response;
  try {
    out.headers.set('x-content-type-options', 'nosniff');
  } catch {
    out = new Response(response.body, response);
  }
  const h = out.headers;
  if (!h.has('content-security-policy')) h.set('content-security-policy', UI_CSP);
  for (const [name, value] of UI_HEADERS) h.set(name, value);
  if (!h.has('cache-control')) h.set('cache-control', 'private, no-store');
  h.append('vary', 'Cookie');
  return out;
}
