/**
 * The one write path of a wiki: every page, attachment, rename, delete and
 * revert goes through `commitWrite`. It serialises writers, checks the
 * caller's base revision, writes the git objects, then moves the head and
 * updates the index in one atomic batch guarded on the head it built on
 * (so a writer in another process cannot be overwritten), and finally
 * mirrors the head to the branch ref on disk for native git (after the
 * answer, in the worker: sqld's head is what everything here goes by). The same batch
 * counts the write against the caller's limit and checks what the caller
 * assumed instead of reading it first, so a save costs one sqld round trip.
 */
import { eq } from 'drizzle-orm';
import { attachments, pageLinks, pageRevisions, pages, wikiCommits, wikiPushes } from '../../../db/schema.ts';
import { runBatch, type Statement } from '../../lib/db.ts';
import { AppError } from '../../lib/errors.ts';
import { isRateGuardFailure } from '../../lib/limits/rate-limit.ts';
import { forgetWikiState, noteWikiHead, rememberedRepoState } from '../directory-cache.ts';
import { commitChanges, type TreeChange } from '../git/commit-changes.ts';
import { commitsBetween, type CommitRecord } from '../git/commits-between.ts';
import type { Identity } from '../git/commit-identity.ts';
import { mirrorBranch } from '../git/branch-mirror.ts';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES, hasRoomFor, isGuardFailure, isPageGuardFailure, isQuotaFailure, requireRepoAt, requireWithinQuota } from '../index/guard.ts';
import { commitChangesOf, indexCommit, indexCommits, indexTarget } from '../index/index-commit.ts';
import type { ObjectReading } from '../git/object-reader.ts';
import { advanceRepoStatement } from '../storage/repo-state.ts';
import { withWriterLock } from '../storage/writer-lock.ts';
import { ensureRepository } from './ensure-repository.ts';
import type { Repository } from './repository-handle.ts';

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
  /**
   * What the caller assumed instead of reading it first (page guards from
   * index/guard.ts), checked in the write's own batch: saves a round trip
   * before the write. When one fails nothing is written and `commitWrite`
   * throws {@link AssumptionFailed}; the caller then reads and decides.
   */
  assume?: Statement[];
}

/** A write's `assume` did not hold: nothing was written. */
export class AssumptionFailed extends Error {
  constructor() {
    super('A page was not as the write assumed; nothing was written.');
  }
}

export type WriteResult = { commit: string; changed: string[] } | { commit: null; head: string };

/**
 * Writes adding more than this are checked against the quota before their
 * objects are stored (one more round trip): a refused write leaves its
 * objects behind, unreferenced, and a large one should not.
 */
export const LARGE_WRITE_BYTES = 64 * 1024;

const encoder = new TextEncoder();

/** The UTF-8 length of `text`, counted exactly only when it could pass LARGE_WRITE_BYTES (at most three bytes per UTF-16 unit). */
function textBytes(text: string): number {
  return text.length * 3 > LARGE_WRITE_BYTES ? encoder.encode(text).byteLength : text.length * 3;
}

/** Whether `text` is a large write (more than LARGE_WRITE_BYTES of UTF-8). */
export function isLargeText(text: string): boolean {
  return textBytes(text) > LARGE_WRITE_BYTES;
}

/**
 * The bytes of new file content in `changes` (moves and deletions add none):
 * exact when over LARGE_WRITE_BYTES, else an upper bound under it.
 */
function incomingBytes(changes: readonly TreeChange[]): number {
  const sum = (size: (text: string) => number) => {
    let bytes = 0;
    for (const c of changes) {
      const content = (c as { content?: string | Uint8Array }).content;
      if (typeof content === 'string') bytes += size(content);
      else if (content) bytes += content.byteLength;
    }
    return bytes;
  };
  const bound = sum(textBytes);
  return bound > LARGE_WRITE_BYTES ? sum((text) => encoder.encode(text).byteLength) : bound;
}

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
      // A writer refused lately is counted before anything is stored.
      await repo.writeLimit?.ready;
      // A large write that cannot fit is refused before its objects are stored (the batch's check would come after).
      const incoming = incomingBytes(changes);
      if (incoming > LARGE_WRITE_BYTES && !(await hasRoomFor(repo.db, repo.wiki.id, incoming, changes.map((c) => c.path)))) throw quotaExceeded(repo);
      const made = await commitChanges(repo.fs, repo.gitdir, { parent: head, changes, author: request.author, message: request.message, timestamp });
      if (made.commit === null) return { commit: null, head };
      const at = timestamp * 1000;
      const statements = await indexCommit(
        repo.db,
        repo.wiki.id,
        // As git stores them, so an index rebuilt from git is the same.
        { oid: made.commit, parent: head, author: made.author, at, message: made.message },
        made.diff,
        await indexTarget(repo.reader, null, made.tree, made.diff),
        (oid) => repo.reader.blob(oid),
      );
      try {
        await repo.db.batch([
          requireRepoAt(repo.db, repo.wiki.id, head),
          ...(request.assume ?? []),
          advanceRepoStatement(repo.db, repo.wiki.id, made.commit),
          ...statements,
          // Only writes that add or change content can be refused for room: deleting always works.
          ...(made.diff.some((d) => d.status !== 'deleted') ? [requireWithinQuota(repo.db, repo.wiki.id)] : []),
          ...(repo.writeLimit?.statements ?? []),
        ]);
      } catch (err) {
        if (isRateGuardFailure(err)) throw repo.writeLimit!.refusal();
        // Refused after its objects were stored: counted all the same, so refusals cannot pile up objects
        // unchecked. (A failed assumption is counted by the caller, which may still write.)
        if (isQuotaFailure(err)) await repo.writeLimit?.countRefused();
        if (isQuotaFailure(err)) throw quotaExceeded(repo);
        if (isPageGuardFailure(err)) throw new AssumptionFailed();
        forgetWikiState(repo.wiki.slug);
        // Another process moved the head first. Its commit stays; ours is an unreferenced object.
        if (isGuardFailure(err) && (remembered || (attempt < ATTEMPTS && !request.base))) continue;
        if (isGuardFailure(err)) throw conflict(null);
        throw err;
      }
      noteWikiHead(repo.wiki.slug, made.commit);
      await mirror(repo, made.commit);
      return { commit: made.commit, changed: made.changed };
    }
  });
}

export interface AdvanceRequest {
  /** The head the commits were built on, as the caller checked it. If the head has moved since: a conflict. */
  expected: string;
  /** The new head. Its objects (and every object it reaches) must already be stored. */
  target: string;
  /**
   * The commits `target` has and `expected` lacks, oldest first, as
   * `commitsBetween` gives them (or `null` … `target` with `replace`); read
   * from the repository when absent.
   */
  commits?: readonly CommitRecord[];
  /**
   * True when `target`'s history replaces the wiki's instead of extending it:
   * an import into a wiki that holds only the first commit it was created with.
   * The index is then rebuilt from `target`'s whole history.
   */
  replace?: boolean;
  /** Reads a blob for the index (defaults to the repository). */
  readBlob?: (oid: string) => Promise<Uint8Array>;
  /** A blob's size without reading it whole, where the caller knows it (defaults to reading it). */
  blobSize?: (oid: string) => Promise<number>;
  /** Reads the trees (defaults to the repository; a push passes the reader that also sees its pack). */
  reader?: ObjectReading;
  /** The member who pushed the commits (a DID), recorded beside each of them; none for an operator's import. */
  pushedBy?: string;
}

/** Rows per insert of pushers: four values each, well inside SQLite's limit on a statement's values. */
const PUSH_ROWS = 1000;

/**
 * The write path for commits that are already stored (a git push or an
 * import): under the same writer lock as `commitWrite`, moves the head from
 * `expected` to `target` in one atomic batch with the index of EVERY new
 * commit (history, pages, links, full text) and the quota check, guarded on
 * the head, then mirrors the branch ref on disk. Refuses with a conflict if
 * anyone wrote since `expected`, and with `too_large` over the quota.
 */
export async function advanceHead(repo: Repository, apex: string, request: AdvanceRequest): Promise<{ commits: number }> {
  return withWriterLock(repo.wiki.id, async () => {
    const { headCommit: head } = await ensureRepository(repo, apex);
    if (head !== request.expected) throw new AppError('conflict', 'The wiki changed while you were pushing. Fetch, merge or rebase, and push again.', { current_revision: head });
    if (head === request.target) return { commits: 0 };
    const commits = request.commits ?? (await commitsBetween(repo.fs, repo.gitdir, request.replace ? null : head, request.target));
    const readBlob = request.readBlob ?? ((oid: string) => repo.reader.blob(oid));
    const adds = commits.some((c) => c.changed.some((d) => d.status !== 'deleted'));
    // Pages and attachments as the target has them: one diff from the head the index reflects (merges included).
    const reader = request.reader ?? repo.reader;
    const target = await indexTarget(reader, request.replace ? null : await reader.rootTree(head), await reader.rootTree(request.target));
    const statements = await indexCommits(
      repo.db,
      repo.wiki.id,
      commits.map(commitChangesOf),
      target,
      readBlob,
      request.blobSize,
    );
    const id = repo.wiki.id;
    const pushedAt = Date.now();
    const pushes: Statement[] = [];
    for (let at = 0; request.pushedBy && at < commits.length; at += PUSH_ROWS) {
      const rows = commits.slice(at, at + PUSH_ROWS).map((c) => ({ wikiId: id, commit: c.oid, pusherDid: request.pushedBy!, pushedAt }));
      pushes.push(repo.db.insert(wikiPushes).values(rows).onConflictDoNothing());
    }
    const forget = request.replace
      ? [
          repo.db.delete(pages).where(eq(pages.wikiId, id)), // the trigger removes their full text
          repo.db.delete(pageLinks).where(eq(pageLinks.wikiId, id)),
          repo.db.delete(pageRevisions).where(eq(pageRevisions.wikiId, id)),
          repo.db.delete(attachments).where(eq(attachments.wikiId, id)),
          repo.db.delete(wikiCommits).where(eq(wikiCommits.wikiId, id)),
        ]
      : [];
    try {
      // An import's index is thousands of statements: runBatch sends them in parts, still one transaction.
      await runBatch(repo.db, [
        requireRepoAt(repo.db, id, head),
        ...forget,
        advanceRepoStatement(repo.db, id, request.target),
        ...statements,
        ...pushes,
        ...(adds ? [requireWithinQuota(repo.db, id)] : []),
      ]);
    } catch (err) {
      forgetWikiState(repo.wiki.slug);
      if (isQuotaFailure(err)) throw quotaExceeded(repo);
      if (isGuardFailure(err)) throw conflict(null);
      throw err;
    }
    noteWikiHead(repo.wiki.slug, request.target);
    await mirror(repo, request.target);
    return { commits: commits.length };
  });
}

/** Mirrors the new head to the branch ref on disk, after the answer where the runtime allows. */
async function mirror(repo: Repository, head: string): Promise<void> {
  const mirrored = mirrorBranch(repo.fs, repo.gitdir, head);
  if (repo.defer) repo.defer(mirrored.catch((err: unknown) => console.error('mirroring the branch ref failed', err)));
  else await mirrored;
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
