/**
 * What a pushed history may contain. Every tree entry a new commit adds or
 * changes (compared with its first parent, so every new tree is checked once
 * and nothing older is re-read) must be a plain file or folder with a safe
 * name: no symbolic links, no submodules (gitlinks), no `.`/`..` or `.git`
 * components, no control characters, valid UTF-8; every blob within the
 * size limits and present; every tree well-formed without duplicate names.
 */
import { AppError } from '../../lib/errors.ts';
import { splitGitPath } from '../git/git-paths.ts';
import { pageKeyFromFilePath } from '../pages/page-files.ts';
import { pairEntries } from '../git/diff-trees.ts';
import type { RawTreeEntry } from '../git/objects.ts';
import type { ParsedReader } from './parsed-reader.ts';

export interface PushLimits {
  /** Largest file of any kind. */
  maxFileBytes: number;
  /** Largest page (`.md` file that is a page). */
  maxPageBytes: number;
}

/**
 * The REST API's limits (service/attachments.ts MAX_ATTACHMENT_BYTES,
 * service/pages.ts MAX_PAGE_BYTES), for code that cannot import the services
 * (the admin CLI's import); the wiki worker passes the services' own values.
 */
export const DEFAULT_PUSH_LIMITS: PushLimits = { maxFileBytes: 10 * 1024 * 1024, maxPageBytes: 1024 * 1024 };

/**
 * Who is pushing, for the wiki's own identities: commits made in the wiki
 * carry `<did>@<apex>` (a person) or `system@<apex>` (the wiki). A pushed
 * commit may carry only the pusher's own, so an entry under one of these
 * in the history is always that person's (or the wiki's) doing. Other
 * identities are the pusher's to choose, as in any git repository.
 */
export interface PushIdentity {
  apex: string;
  /** The pusher's wiki identity, `<did>@<apex>`. */
  email: string;
  /** The pusher's DID, recorded beside the commits they push. */
  did: string;
}

/** Stop after this many problems: enough to fix a push, short enough to read. */
const MAX_PROBLEMS = 20;

const CONTROL = /[\u0000-\u001f\u007f]/u;

function show(path: string): string {
  return JSON.stringify(path);
}

function nameProblem(path: string, entry: RawTreeEntry): string | null {
  if (!entry.utf8) return `${show(path)}: the file name is not valid UTF-8`;
  if (CONTROL.test(entry.path)) return `${show(path)}: the file name contains a control character`;
  if (entry.path.includes('\\')) return `${show(path)}: the file name contains a backslash`;
  try {
    splitGitPath(path);
  } catch (err) {
    if (err instanceof AppError) return `${show(path)}: ${err.message.replace(/^The file path .*? (contains|names|has)/, '$1')}`;
    throw err;
  }
  return null;
}

/** True when no name repeats: names in strictly increasing order (most trees; others are checked with a set). */
function hasUniqueNames(entries: readonly RawTreeEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (!(entries[i - 1]!.path < entries[i]!.path)) return false;
  return true;
}

/**
 * Checks pushed commits one at a time, each compared with its first parent,
 * as the history walk reaches them (see commitsBetweenWith's `each`), while
 * their trees are still at hand. `sizeOf` gives a blob's size, or null when
 * it is missing.
 */
export class PushChecker {
  /** The problems found so far (at most MAX_PROBLEMS). */
  readonly problems: string[] = [];
  /** Commits under someone else's wiki identity (kept apart from the file checks for their own message). */
  readonly identityProblems: string[] = [];
  readonly #reader: ParsedReader;
  readonly #limits: PushLimits;
  readonly #sizeOf: (oid: string) => Promise<number | null>;
  readonly #checkedTrees = new Set<string>();
  readonly #checkedBlobs = new Set<string>();

  readonly #identity: PushIdentity | null;

  /** `identity` is null for an operator's import, which brings whatever history it is given. */
  constructor(reader: ParsedReader, limits: PushLimits, sizeOf: (oid: string) => Promise<number | null>, identity: PushIdentity | null = null) {
    this.#identity = identity;
    this.#reader = reader;
    this.#limits = limits;
    this.#sizeOf = sizeOf;
  }

  /** Checks what commit `c` adds or changes against its first parent. */
  async check(c: { oid: string; parents: readonly string[] }): Promise<void> {
    if (this.problems.length >= MAX_PROBLEMS) return;
    const commit = await this.#reader.commit(c.oid);
    // The first commit every wiki of this farm is created with is the wiki's: a copy of a wiki may bring its own.
    const created = commit.parent.length === 0 && commit.message.trim() === 'Initial commit';
    if (this.#identity) {
      const domain = `@${this.#identity.apex.toLowerCase()}`;
      const wikiItself = `system${domain}`;
      for (const [role, who] of [['author', commit.author], ['committer', commit.committer]] as const) {
        const email = who.email.toLowerCase();
        if (created && email === wikiItself) continue;
        if (email.endsWith(domain) && email !== this.#identity.email.toLowerCase() && this.identityProblems.length < MAX_PROBLEMS) {
          this.identityProblems.push(`commit ${c.oid.slice(0, 7)}: its ${role} <${who.email}> is this wiki's identity for someone else, which only they (or the wiki) can use. Commit under your own identity (git commit --amend --reset-author for the last commit), or ask the platform's admin to bring a copy of another wiki in with "wiki import"`);
        }
      }
    }
    const first = c.parents[0];
    const before = first === undefined ? null : (await this.#reader.commit(first)).tree;
    await this.#walk(before, commit.tree, '');
  }

  #add(p: string): void {
    if (this.problems.length < MAX_PROBLEMS && !this.problems.includes(p)) this.problems.push(p);
  }

  async #walk(before: string | null, after: string, prefix: string): Promise<void> {
    if (before === after || this.#checkedTrees.has(`${after} ${prefix}`) || this.problems.length >= MAX_PROBLEMS) return;
    this.#checkedTrees.add(`${after} ${prefix}`);
    let entries: RawTreeEntry[];
    try {
      entries = await this.#reader.tree(after);
    } catch (err) {
      if (err instanceof AppError) return this.#add(`${show(prefix || '/')}: ${err.message}`);
      throw err;
    }
    const names = hasUniqueNames(entries) ? null : new Set<string>();
    const changed: [RawTreeEntry | undefined, RawTreeEntry][] = [];
    pairEntries(before ? await this.#reader.tree(before) : [], entries, (old, entry) => {
      if (!entry) return;
      if (names) {
        if (names.has(entry.path)) this.#add(`${show(`${prefix}${entry.path}`)}: the folder lists this name twice`);
        names.add(entry.path);
      }
      if (!old || old.oid !== entry.oid || old.mode !== entry.mode) changed.push([old, entry]);
    });
    for (const [old, entry] of changed) await this.#checkEntry(prefix, old, entry);
  }

  /** Checks one entry that is new or changed since the parent's tree. */
  async #checkEntry(prefix: string, old: RawTreeEntry | undefined, entry: RawTreeEntry): Promise<void> {
    const path = `${prefix}${entry.path}`;
    const bad = nameProblem(path, entry);
    if (bad) return this.#add(bad);
    switch (entry.mode) {
      case '120000':
        return this.#add(`${show(path)} is a symbolic link: links are not allowed in a wiki`);
      case '160000':
        return this.#add(`${show(path)} is a submodule (gitlink): submodules are not allowed in a wiki`);
      case '040000':
        return this.#walk(old?.type === 'tree' ? old.oid : null, entry.oid, `${path}/`);
      case '100644':
      case '100755': {
        const isPage = pageKeyFromFilePath(path) !== null;
        if (this.#checkedBlobs.has(`${entry.oid} ${isPage}`)) return;
        this.#checkedBlobs.add(`${entry.oid} ${isPage}`);
        const size = await this.#sizeOf(entry.oid);
        if (size === null) this.#add(`${show(path)}: its content (${entry.oid}) is missing from the push`);
        else if (isPage && size > this.#limits.maxPageBytes) this.#add(`${show(path)} is ${size} bytes: a page may be at most ${this.#limits.maxPageBytes} bytes`);
        else if (size > this.#limits.maxFileBytes) this.#add(`${show(path)} is ${size} bytes: a file may be at most ${this.#limits.maxFileBytes} bytes`);
        return;
      }
      default:
        this.#add(`${show(path)} has the unsupported file mode ${entry.mode}`);
    }
  }
}
