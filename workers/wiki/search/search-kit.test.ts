/**
 * Helpers for the search tests (no tests of its own): rows written straight
 * into a migrated store, the way the wiki index writes them, and the pages'
 * text kept as blobs by their git ids (what a repository's reader gives).
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pages, users, wikis } from '../../../db/schema.ts';
import type { Db } from '../../lib/db.ts';
import { AppError } from '../../lib/errors.ts';
import type { SearchSource } from './search-pages.ts';
import { fullTextStatements } from '../index/full-text-rows.ts';

/** Every seeded page's text, by the git blob id of that text. */
const blobs = new Map<string, Uint8Array>();

/** The git blob id of `bytes` (as `git hash-object` gives it). */
function blobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/** The store and the seeded pages' blobs, as searchPages reads them. */
export function searchSource(db: Db): SearchSource {
  return {
    db,
    reader: {
      blob: async (oid) => {
        const bytes = blobs.get(oid);
        if (!bytes) throw new AppError('not_found', `The blob ${oid} does not exist in this repository.`);
        return bytes;
      },
    },
  };
}

export const OWNER_DID = 'did:plc:searchsearchsearchsearch';

export interface SeedPage {
  path: string;
  title: string;
  body: string;
}

/** Creates the wiki `id` (and its owner, once) with a slug derived from the id. */
export async function seedWiki(db: Db, id: string): Promise<void> {
  const now = Date.now();
  await db.insert(users).values({ did: OWNER_DID, handle: 'search.test.example', createdAt: now, updatedAt: now }).onConflictDoNothing();
  const slug = id.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  await db.insert(wikis).values({ id, slug, title: id, ownerDid: OWNER_DID, createdAt: now, updatedAt: now });
}

/** Writes `rows` into `pages` and the full-text index (fullTextStatements), in batches of `batchSize` pages. */
export async function seedPages(db: Db, wikiId: string, rows: readonly SeedPage[], batchSize = 100): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    const chunk = rows.slice(i, i + batchSize);
    const now = Date.now();
    await db.batch([
      db.insert(pages).values(
        chunk.map((p) => {
          const bytes = new TextEncoder().encode(p.body);
          const oid = blobId(bytes);
          blobs.set(oid, bytes);
          return {
            wikiId,
            path: p.path,
            filePath: `${p.path}.md`,
            title: p.title,
            size: bytes.byteLength,
            blobOid: oid,
            updatedCommit: '0'.repeat(40),
            updatedAt: now,
            updatedBy: 'Search Test',
          };
        }),
      ),
      ...chunk.flatMap((p) => fullTextStatements(db, wikiId, p.path, p.title, p.body)),
    ]);
  }
}
