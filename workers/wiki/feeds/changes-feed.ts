/**
 * RSS 2.0 and Atom feeds of a wiki's recent changes (Otterwiki's `/-/changelog/feed.rss` and
 * `/-/changelog/feed.atom`): one item per commit, newest first, built from the index's commit
 * list (never a git walk). Pure: the caller reads the entries and knows the wiki's origin.
 */
import { displayTitle } from '../pages/page-files.ts';
import { escapeHtml } from '../render/escape.ts';
import { diffUrl, feedUrl, pageUrl, specialUrl } from '../ui/urls.ts';
import { escapeXml } from './xml.ts';

/** One commit, as `recentChanges` gives it. */
export interface FeedEntry {
  revision: string;
  author: string;
  /** ISO 8601. */
  date: string;
  message: string;
  /** Keys of the pages the commit changed. */
  pages: string[];
}

/** What a feed is made of. */
export interface FeedSource {
  /** The wiki's origin, e.g. `https://notes.wiki.example` (feeds carry absolute addresses). */
  origin: string;
  title: string;
  description: string;
  entries: readonly FeedEntry[];
}

function firstLine(message: string): string {
  return message.trim().split('\n', 1)[0]!.trim();
}

function entryTitle(e: FeedEntry): string {
  const line = firstLine(e.message) || '(no message)';
  return e.pages.length ? `${e.pages.join(', ')}: ${line}` : line;
}

/** Where an entry leads: the change to its first page, else the recent-changes page. */
function entryLink(origin: string, e: FeedEntry): string {
  return origin + (e.pages.length ? diffUrl(e.pages[0]!, e.revision) : specialUrl('changes'));
}

/** A stable, unique id per commit: its place on the recent-changes page. */
function entryId(origin: string, e: FeedEntry): string {
  return `${origin}${specialUrl('changes')}#${e.revision}`;
}

/** The entry as HTML (message, author, each page with its change), for `<description>` and `<content>`. */
function entryHtml(origin: string, e: FeedEntry): string {
  const message = escapeHtml(e.message.trim()).replace(/\n/g, '<br>');
  const pages = e.pages
    .map((k) => `<li><a href="${escapeHtml(origin + pageUrl(k))}">${escapeHtml(displayTitle(k))}</a> <small>(${escapeHtml(k)})</small> — <a href="${escapeHtml(origin + diffUrl(k, e.revision))}">changes</a></li>`)
    .join('');
  return `<p>${message}</p><p>By ${escapeHtml(e.author)}, revision <code>${e.revision.slice(0, 7)}</code>.</p>${pages ? `<ul>${pages}</ul>` : ''}`;
}

function channelTitle(src: FeedSource): string {
  return `${src.title} — recent changes`;
}

function channelDescription(src: FeedSource): string {
  return src.description.trim() || `Recent changes to ${src.title}`;
}

/** The newest entry's date, or the epoch for a wiki without commits. */
function updated(src: FeedSource): Date {
  return new Date(src.entries[0]?.date ?? 0);
}

/** RSS 2.0 (with `atom:link rel=self` and `dc:creator`, as feed validators ask). */
export function rssFeed(src: FeedSource): string {
  const x = escapeXml;
  const items = src.entries.map(
    (e) => `<item>
<title>${x(entryTitle(e))}</title>
<link>${x(entryLink(src.origin, e))}</link>
<guid isPermaLink="false">${x(entryId(src.origin, e))}</guid>
<pubDate>${new Date(e.date).toUTCString()}</pubDate>
<dc:creator>${x(e.author)}</dc:creator>
<description>${x(entryHtml(src.origin, e))}</description>
</item>
`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${x(channelTitle(src))}</title>
<link>${x(src.origin + specialUrl('changes'))}</link>
<description>${x(channelDescription(src))}</description>
<atom:link href="${x(src.origin + feedUrl('rss'))}" rel="self" type="application/rss+xml"/>
<lastBuildDate>${updated(src).toUTCString()}</lastBuildDate>
<generator>Wikifarm</generator>
${items.join('')}</channel>
</rss>
`;
}

/** Atom (RFC 4287). */
export function atomFeed(src: FeedSource): string {
  const x = escapeXml;
  const entries = src.entries.map(
    (e) => `<entry>
<title type="text">${x(entryTitle(e))}</title>
<id>${x(entryId(src.origin, e))}</id>
<link rel="alternate" type="text/html" href="${x(entryLink(src.origin, e))}"/>
<published>${new Date(e.date).toISOString()}</published>
<updated>${new Date(e.date).toISOString()}</updated>
<author><name>${x(e.author)}</name></author>
<content type="html">${x(entryHtml(src.origin, e))}</content>
</entry>
`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title type="text">${x(channelTitle(src))}</title>
<subtitle type="text">${x(channelDescription(src))}</subtitle>
<id>${x(src.origin + feedUrl('atom'))}</id>
<link rel="self" type="application/atom+xml" href="${x(src.origin + feedUrl('atom'))}"/>
<link rel="alternate" type="text/html" href="${x(src.origin + specialUrl('changes'))}"/>
<updated>${updated(src).toISOString()}</updated>
<generator>Wikifarm</generator>
${entries.join('')}</feed>
`;
}
