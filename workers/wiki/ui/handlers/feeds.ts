/**
 * `/-/changelog/feed.rss` and `/-/changelog/feed.atom` (Otterwiki's addresses): the wiki's
 * recent changes as RSS 2.0 and Atom, from the index. They need the same access as the pages:
 * a private wiki's feed answers only a member's session cookie or `Authorization: Bearer` token.
 * The wiki's head is the ETag, so a feed reader polling with `If-None-Match` gets a 304.
 */
import { wikiOrigin } from '../../../lib/wiki-urls.ts';
import { atomFeed, rssFeed } from '../../feeds/changes-feed.ts';
import { recentChanges } from '../../service/pages.ts';
import { uiRequest, type UiContext } from '../ui-request.ts';

/** Commits a feed lists. */
export const FEED_ENTRIES = 50;

const TYPES = { rss: 'application/rss+xml; charset=utf-8', atom: 'application/atom+xml; charset=utf-8' } as const;

/** The handler of one feed format. */
export function changesFeed(kind: 'rss' | 'atom'): (c: UiContext) => Promise<Response> {
  return async (c) => {
    const ui = await uiRequest(c, 'read');
    const headers = { 'content-type': TYPES[kind], etag: `W/"${ui.head}-${kind}"`, 'cache-control': 'private, no-cache' };
    if (c.req.header('if-none-match') === headers.etag) return new Response(null, { status: 304, headers });
    const entries = await recentChanges(ui.repo, FEED_ENTRIES);
    const source = { origin: wikiOrigin(c.env.PUBLIC_ORIGIN, ui.wiki.slug), title: ui.wiki.title || ui.wiki.slug, description: ui.wiki.description, entries };
    return new Response(kind === 'rss' ? rssFeed(source) : atomFeed(source), { headers });
  };
}
