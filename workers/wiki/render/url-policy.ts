/**
 * Which URLs may appear in `href` and `src`: relative ones, and absolute ones whose scheme is
 * on a short allow-list. Applied to values after HTML entities are decoded.
 */

/** Schemes a link may use. */
export const LINK_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'mailto']);
/** Schemes an image may use. */
export const IMAGE_SCHEMES: ReadonlySet<string> = new Set(['http', 'https']);

/** C0 controls and space, which browsers ignore around a URL; tab and newlines they drop anywhere. */
const EDGES = /^[\x00-\x20\x7f]+|[\x00-\x20\x7f]+$/g;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const INVISIBLE = /[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff]/g;

/**
 * The URL as a browser would read it (trimmed, tab and newlines removed, inner spaces as
 * `%20`), or null when it names a scheme that is not allowed. Anything before the first `:`
 * that comes before any `/`, `?` or `#` counts as a scheme, compared with all invisible
 * characters removed and case folded, so `Java&#9;Script:` and `java script:` are refused.
 */
export function safeUrl(value: string, schemes: ReadonlySet<string>): string | null {
  const url = value.replace(EDGES, '').replace(TAB_OR_NEWLINE, '').replace(/ /g, '%20');
  const m = /^([^/?#\\]*?):/.exec(url);
  if (m) {
    const scheme = (m[1] ?? '').replace(INVISIBLE, '').toLowerCase();
    if (!schemes.has(scheme)) return null;
  }
  return url;
}

/** True for a URL that may leave the wiki: `http:`/`https:` or protocol-relative `//…` (also with backslashes). */
export function isExternalUrl(url: string): boolean {
  return /^(?:https?:|[/\\]{2})/i.test(url.replace(EDGES, '').replace(TAB_OR_NEWLINE, ''));
}
