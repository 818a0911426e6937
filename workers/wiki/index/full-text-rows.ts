/**
 * A page's rows in the full-text index: its prefixed words in `pages_fts` and
 * its body in `page_texts`, both keyed by the page's `pages.id`. The one place
 * that writes them, for the index writer and for fixtures that seed pages.
 */
import { sql } from 'drizzle-orm';
import { pages, pageTexts } from '../../../db/schema.ts';
import type { Db, Statement } from '../../lib/db.ts';
import { ftsWikiToken, prefixWords, wikiWordPrefix } from '../search/wiki-words.ts';

/** Search highlights with these private-use characters, so page text must not bring its own. */
function searchable(body: string): string {
  return body.replace(/[\uE000\uE001]/g, ' ');
}

/** Statements (after the `pages` row of `wikiId`/`path` exists) that index its `title` and `body`, replacing what was there. */
export function fullTextStatements(db: Db, wikiId: string, path: string, title: string, body: string): Statement[] {
  const prefix = wikiWordPrefix(wikiId);
  const text = searchable(body);
  return [
    db.run(sql`insert or replace into pages_fts (rowid, wiki, title, body)
      select ${pages.id}, ${ftsWikiToken(wikiId)}, ${prefixWords(prefix, title)}, ${prefixWords(prefix, text)} from ${pages}
      where ${pages.wikiId} = ${wikiId} and ${pages.path} = ${path}`),
    db.run(sql`insert or replace into ${pageTexts} (id, body) select ${pages.id}, ${text} from ${pages}
      where ${pages.wikiId} = ${wikiId} and ${pages.path} = ${path}`),
  ];
}
