/**
 * Rebuilds a wiki's whole index from git: drops every derived row, then lets
 * the reconciler replay the history. Readers see a partial index meanwhile;
 * writers wait for the reconciler (their batches are guarded on the index).
 * The index is marked as built by today's rules (INDEX_VERSION) with the
 * drop: from then on, whichever reconciler finishes it follows them.
 */
import { eq, sql } from 'drizzle-orm';
import { attachments, pageLinks, pageRevisions, pages, wikiCommits, wikiRepos } from '../../../db/schema.ts';
import { INDEX_VERSION } from '../index/index-version.ts';
import { reconcileIndex, type ReconcileResult } from './reconcile.ts';
import type { Repository } from './repository-handle.ts';

export async function rebuildIndex(repo: Repository): Promise<ReconcileResult> {
  const id = repo.wiki.id;
  await repo.db.batch([
    repo.db.update(wikiRepos).set({ indexedCommit: null, indexVersion: INDEX_VERSION, updatedAt: sql`${Date.now()}` }).where(eq(wikiRepos.wikiId, id)),
    repo.db.delete(pages).where(eq(pages.wikiId, id)), // the trigger removes their full text
    repo.db.delete(pageLinks).where(eq(pageLinks.wikiId, id)),
    repo.db.delete(pageRevisions).where(eq(pageRevisions.wikiId, id)),
    repo.db.delete(attachments).where(eq(attachments.wikiId, id)),
    repo.db.delete(wikiCommits).where(eq(wikiCommits.wikiId, id)),
  ]);
  return reconcileIndex(repo);
}
