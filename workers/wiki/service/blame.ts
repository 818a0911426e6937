/**
 * Blame of a page: for each line of a version, the commit that last changed it. Computed from
 * the index's revisions of the page and their blobs (never a git walk), and bounded: at most
 * `limit` revisions (and {@link MAX_BLAME_BYTES} of text) are compared. Lines unchanged since
 * the oldest revision compared are reported as `older`: "this revision or earlier".
 *
 * History follows the page's name, as the page's history does: a renamed page's lines go back
 * to the rename.
 */
import { and, desc, eq, lte } from 'drizzle-orm';
import { pageRevisions, wikiCommits } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { blameLines, type BlameVersion } from '../edit/blame.ts';
import { commitSeq } from './page-at.ts';
import type { Repository } from './repository.ts';

/** Revisions compared unless the caller asks for another number. */
export const DEFAULT_BLAME_REVISIONS = 50;
/** Most revisions one blame compares. */
export const MAX_BLAME_REVISIONS = 200;
/** Most text (all versions together, in bytes) one blame reads. */
export const MAX_BLAME_BYTES = 8 * 1024 * 1024;

/** A commit some line is blamed on. */
export interface BlameCommit {
  revision: string;
  author: string;
  date: string;
  message: string;
}

/** One line of the blamed version. */
export interface BlameLine {
  /** 1-based. */
  line: number;
  text: string;
  /** The commit that last changed the line; with `older`, the oldest commit compared. */
  revision: string;
  /** The line is unchanged since `revision` and may be older (the comparison stopped there). */
  older: boolean;
}

export interface PageBlame {
  path: string;
  /** The commit of the version blamed (the page's last change at or before the asked-for revision). */
  revision: string;
  lines: BlameLine[];
  /** The commits lines are blamed on, newest first. */
  commits: BlameCommit[];
  /** True when the comparison reached the page's creation: no line is `older`. */
  complete: boolean;
  /** How many revisions were compared. */
  compared: number;
}

/**
 * The blame of page `key` as it is now, or as of commit `revision`.
 *
 * @throws AppError `not_found` when the page does not exist (then), or the revision is unknown
 */
export async function pageBlame(repo: Repository, key: string, options: { revision?: string; limit?: number } = {}): Promise<PageBlame> {
  const limit = Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_BLAME_REVISIONS)), MAX_BLAME_REVISIONS);
  const upTo = options.revision ? await commitSeq(repo, options.revision) : undefined;
  const rows = await repo.db
    .select({ commit: pageRevisions.commit, blobOid: pageRevisions.blobOid, author: wikiCommits.authorName, at: wikiCommits.at, message: wikiCommits.message })
    .from(pageRevisions)
    .innerJoin(wikiCommits, and(eq(wikiCommits.wikiId, pageRevisions.wikiId), eq(wikiCommits.oid, pageRevisions.commit)))
    .where(and(eq(pageRevisions.wikiId, repo.wiki.id), eq(pageRevisions.path, key), upTo !== undefined ? lte(pageRevisions.seq, upTo) : undefined))
    .orderBy(desc(pageRevisions.seq))
    .limit(limit + 1);
  if (!rows[0]?.blobOid) {
    throw new AppError('not_found', options.revision ? `The page ${key} did not exist at revision ${options.revision}.` : `Page not found: ${key}`);
  }

  const decoder = new TextDecoder();
  const versions: BlameVersion[] = [];
  let bytes = 0;
  let complete = true;
  for (const [i, row] of rows.entries()) {
    if (!row.blobOid) {
      versions.push({ text: null });
      break;
    }
    if (i === limit || (i > 0 && bytes >= MAX_BLAME_BYTES)) {
      complete = false;
      break;
    }
    const blob = await repo.reader.blob(row.blobOid);
    bytes += blob.byteLength;
    versions.push({ text: decoder.decode(blob) });
  }

  const blamed = blameLines(versions, complete);
  const used = new Set(blamed.map((l) => l.version));
  const revisionOf = (version: number): string => rows[version]!.commit;
  return {
    path: key,
    revision: rows[0].commit,
    lines: blamed.map((l, i) => ({ line: i + 1, text: l.text, revision: revisionOf(l.version), older: l.older })),
    commits: [...used].sort((a, b) => a - b).map((v) => ({ revision: revisionOf(v), author: rows[v]!.author, date: new Date(rows[v]!.at).toISOString(), message: rows[v]!.message })),
    complete: !blamed.some((l) => l.older),
    compared: versions.filter((v) => v.text !== null).length,
  };
}
