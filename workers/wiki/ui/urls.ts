/**
 * Addresses of the web UI. A page lives at `/<key>` (each segment
 * percent-encoded, `/` kept); its actions are further segments at the end
 * (`/<key>/edit`); the wiki's own pages live under `/-/`.
 */

import type { PageAction } from '../pages/page-name.ts';

/** The actions reached as a last path segment of a page's address. */
export type { PageAction };

/** The address of page `key`, or of one of its actions. */
export function pageUrl(key: string, action?: PageAction): string {
  const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
  return action ? `${path}/${action}` : path;
}

/** The page as it was at `revision`. */
export function revisionUrl(key: string, revision: string): string {
  return `${pageUrl(key)}/view/${encodeURIComponent(revision)}`;
}

/** The changes to page `key` between two revisions (`from` may be absent: the page's previous revision). */
export function diffUrl(key: string, to: string, from?: string): string {
  const query = new URLSearchParams(from ? { from, to } : { to });
  return `${pageUrl(key, 'diff')}?${query.toString()}`;
}

/** An attachment of page `key`, for download or display. */
export function attachmentUrl(key: string, name: string): string {
  return `${pageUrl(key)}/a/${encodeURIComponent(name)}`;
}

/** A file of `workers/wiki/ui/static/`, as the wiki host serves it. */
export function staticUrl(file: string): string {
  return `/-/static/${file}`;
}

/** A special page of the wiki (`index`, `changes`, `search`, `create`, `preview`). */
export function specialUrl(name: 'index' | 'changes' | 'search' | 'create' | 'preview', query?: Record<string, string>): string {
  const q = query ? new URLSearchParams(query).toString() : '';
  return `/-/${name}${q ? `?${q}` : ''}`;
}

/** A feed of the wiki's recent changes, at Otterwiki's address. */
export function feedUrl(kind: 'rss' | 'atom'): string {
  return `/-/changelog/feed.${kind}`;
}

/** The platform's sign-in page on the apex, coming back to `returnTo` afterwards. */
export function signInUrl(publicOrigin: string, returnTo: string): string {
  return `${publicOrigin.replace(/\/+$/, '')}/auth/login?return_to=${encodeURIComponent(returnTo)}`;
}

/** The first 7 characters of a commit id, as git shows it. */
export function shortRevision(revision: string): string {
  return revision.slice(0, 7);
}
