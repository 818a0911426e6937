/** How UI handlers answer: an HTML page with a status, or a 303 redirect after a successful form post. */
import { UI_PAGE_HEADERS } from './security-headers.ts';
import type { Html } from './template.ts';

/** A full HTML page (a template's, or one remembered as UTF-8). */
export function htmlPage(body: Html | Uint8Array, status = 200): Response {
  // Response copies a byte body, so one remembered page can answer many requests.
  if (body instanceof Uint8Array) return new Response(body as Uint8Array<ArrayBuffer>, { status, headers: pageHeaders() });
  return new Response(body.toString(), { status, headers: pageHeaders() });
}

let made: Headers | undefined;
/** UI_PAGE_HEADERS as one Headers, made once: a Response copies it natively instead of reading nine pairs from JS. */
function pageHeaders(): Headers {
  return (made ??= new Headers(UI_PAGE_HEADERS));
}

/** POST/redirect/GET: "see the result over there". `location` is a path on this host. */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}
