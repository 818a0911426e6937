/**
 * Chunks' words in `semantic_chunks_fts`, behind their wiki's prefix as pages'
 * words are (../search/wiki-words.ts): the keyword side of a search by meaning
 * then reads, and bm25 counts, only its own wiki's chunks. The index writer
 * puts them (planStatements); a chunk leaving takes them with it (trigger).
 */
import { sql, type SQL } from 'drizzle-orm';
import { runBatch, type Db, type Statement } from '../../lib/db.ts';
import { ftsWikiToken, prefixWords, wikiWordPrefix } from '../search/wiki-words.ts';

/** Chunks read and written at a time by refillChunkWords. */
const REFILL_PAGE = 500;

/** Puts chunk `rowid`'s words (replacing any), when `when` holds. */
export function chunkWordsStatement(db: Db, wikiId: string, rowid: SQL, section: string, text: string, when: SQL = sql`1`): Statement {
  const prefix = wikiWordPrefix(wikiId);
  return db.run(sql`insert or replace into semantic_chunks_fts (rowid, wiki, section, text)
    select ${rowid}, ${ftsWikiToken(wikiId)}, ${prefixWords(prefix, section)}, ${prefixWords(prefix, text)} where ${when}`);
}

/** Writes the words of every stored chunk of `wikiId` again (after the way they are written changed); returns how many. */
export async function refillChunkWords(db: Db, wikiId: string): Promise<number> {
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = await db.all<{ id: number; section: string; text: string }>(
      sql`select id, section, text from semantic_chunks where wiki_id = ${wikiId} and id > ${after} order by id limit ${REFILL_PAGE}`,
    );
    if (!rows.length) return count;
    await runBatch(db, rows.map((r) => chunkWordsStatement(db, wikiId, sql`${r.id}`, r.section, r.text)));
    count += rows.length;
    after = Number(rows[rows.length - 1]!.id);
  }
}
