/** How UI handlers answer: an HTML page with a status, or a 303 redirect after a successful form post. */
import type { Html } from './template.ts';

/** A full HTML page. */
export function htmlPage(body: Html, status = 200): Response {
  return new Response(body.toString(), { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** POST/redirect/GET: "see the result over there". `location` is a path on this host. */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}
