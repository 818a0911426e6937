/**
 * The one write path of a wiki: every page, attachment, rename, delete and
 * revert goes through `commitWrite`. It serialises writers, checks the
 * caller's base revision, writes the git objects, then moves the head and
 * updates the index in one atomic batch guarded on the head it built on
 * (so a writer in another process cannot be overwritten), and finally
 * mirrors the head to the branch ref on disk for native git.
 */
import { AppError } from '../../lib/errors.ts';
import { forgetWikiState, noteWikiHead, rememberedRepoState } from '../directory-cache.ts';
import { commitChanges, type TreeChange } from '../git/commit-changes.ts';
import type { Identity } from '../git/commit-identity.ts';
import { updateBranch } from '../git/refs.ts';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES, isGuardFailure, isQuotaFailure, requireHead, requireIndexed, requireWithinQuota } from '../index/guard.ts';
import { indexCommit } from '../index/index-commit.ts';
import { markIndexed, swapHeadStatement } from '../storage/repo-state.ts';
import { withWriterLock } from '../storage/writer-lock.ts';
import { ensureRepository, type Repository } from './repository.ts';

export interface WriteRequest {
  changes: TreeChange[] | ((head: string) => Promise<TreeChange[]>);
  author: Identity;
  message: string;
  /**
   * The revision the caller last saw. A stale one is a conflict carrying the
   * current revision. `check` decides what "stale" means (e.g. "the page changed
   * since"); by default any other head is stale.
   */
  base?: { revision: string; isCurrent?: (head: string) => Promise<boolean> };
}

export type WriteResult = { commit: string; changed: string[] } | { commit: null; head: string };

const ATTEMPTS = 3;

export async function commitWrite(repo: Repository, apex: string, request: WriteRequest): Promise<WriteResult> {
  return withWriterLock(repo.wiki.id, async () => {
    for (let attempt = 1; ; attempt++) {
      // First try the head this isolate remembers (it notes its own commits under this lock, so it
      // is current unless another process wrote); the guarded batch below catches that case, and a
      // retry, or any doubt about the caller's base revision, asks the store.
      const remembered = attempt === 1 ? rememberedRepoState(repo.wiki.slug) : undefined;
      const { headCommit: head } = await ensureRepository(repo, apex, remembered);
      if (request.base) {
        const current = request.base.isCurrent ? await request.base.isCurrent(head) : request.base.revision === head;
        if (!current && remembered) continue;
        if (!current) throw conflict(head);
      }
      const changes = typeof request.changes === 'function' ? await request.changes(head) : request.changes;
      // Git keeps whole seconds; the index keeps the same time, so a rebuild from git is identical.
      const timestamp = Math.floor(Date.now() / 1000);
      const made = await commitChanges(repo.fs, repo.gitdir, { parent: head, changes, author: request.author, message: request.message, timestamp });
      if (made.commit === null) return { commit: null, head };
      const at = timestamp * 1000;
      const statements = await indexCommit(
        repo.db,
        repo.wiki.id,
        { oid: made.commit, parent: head, author: request.author, at, message: request.message },
        made.diff,
        (oid) => repo.reader.blob(oid),
      );
      try {
        await repo.db.batch([
          requireHead(repo.db, repo.wiki.id, head),
          requireIndexed(repo.db, repo.wiki.id, head),
          swapHeadStatement(repo.db, repo.wiki.id, made.commit),
          ...statements,
          // Only writes that add or change content can be refused for room: deleting always works.
          ...(made.diff.some((d) => d.status !== 'deleted') ? [requireWithinQuota(repo.db, repo.wiki.id)] : []),
          markIndexed(repo.db, repo.wiki.id, head, made.commit),
        ]);
      } catch (err) {
        if (isQuotaFailure(err)) throw quotaExceeded(repo);
        forgetWikiState(repo.wiki.slug);
        // Another process moved the head first. Its commit stays; ours is an unreferenced object.
        if (isGuardFailure(err) && (remembered || (attempt < ATTEMPTS && !request.base))) continue;
        if (isGuardFailure(err)) throw conflict(null);
        throw err;
      }
      noteWikiHead(repo.wiki.slug, made.commit);
      await updateBranch(repo.fs, repo.gitdir, made.commit);
      return { commit: made.commit, changed: made.changed };
    }
  });
}

function quotaExceeded(repo: Repository): AppError {
  const maxBytes = repo.wiki.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxPages = repo.wiki.maxPages ?? DEFAULT_MAX_PAGES;
  return new AppError(
    'too_large',
    `Wiki quota exceeded: "${repo.wiki.slug}" may hold ${(maxBytes / 1024 / 1024).toFixed(1)} MiB of pages and attachments in at most ${maxPages} pages. Nothing was saved. Delete pages or attachments to make room, or ask the platform's admin for a larger quota.`,
    { quota: { max_bytes: maxBytes, max_pages: maxPages } },
  );
}

function conflict(current: string | null): AppError {
  return current
    ? new AppError('conflict', 'The page has changed since you read it. Read it again, then repeat your change.', { current_revision: current })
    : new AppError('conflict', 'Someone else changed the wiki at the same moment. Read the page again, then repeat your change.');
}
