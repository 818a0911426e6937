/**
 * The commits that `to` has and `from` lacks (git's `from..to`), oldest
 * first, each with the files it changed: what page history and the search
 * index need after a save or a push.
 */
import type { CommitObject } from 'isomorphic-git';
import type { Signature } from './commit-identity.ts';
import { diffTrees, type FileDiff } from './diff-trees.ts';
import type { GitFs } from './git-fs.ts';
import { ObjectReader, type ObjectReading } from './object-reader.ts';
import { PriorityQueue } from './priority-queue.ts';

/** One commit of a history range. */
export interface CommitRecord {
  oid: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  /** The message without its trailing newline(s). */
  message: string;
  /** Changes against the first parent (everything, for a root commit). */
  changed: FileDiff[];
}

interface Queued {
  oid: string;
  time: number;
  seq: number;
}

interface WalkState {
  uninteresting: boolean;
  /** Known once the commit has been taken off the queue. */
  parents: readonly string[] | null;
}

/** Extra commits looked at once only excluded ones remain (git's SLOP, for clock skew). */
const SLOP = 5;

class RangeWalk {
  readonly #reader: ObjectReading;
  readonly #state = new Map<string, WalkState>();
  readonly #queue = new PriorityQueue<Queued>((a, b) => a.time > b.time || (a.time === b.time && a.seq < b.seq));
  #seq = 0;

  constructor(reader: ObjectReading) {
    this.#reader = reader;
  }

  state(oid: string): WalkState | undefined {
    return this.#state.get(oid);
  }

  #markUninteresting(oid: string): void {
    const stack = [oid];
    while (stack.length > 0) {
      const state = this.#state.get(stack.pop() ?? '');
      if (!state || state.uninteresting) continue;
      state.uninteresting = true;
      if (state.parents) stack.push(...state.parents);
    }
  }

  async enqueue(oid: string, uninteresting: boolean): Promise<void> {
    const known = this.#state.get(oid);
    if (known) {
      if (uninteresting) this.#markUninteresting(oid);
      return;
    }
    this.#state.set(oid, { uninteresting, parents: null });
    const commit = await this.#reader.commit(oid);
    this.#queue.push({ oid, time: commit.committer.timestamp, seq: this.#seq++ });
  }

  #everybodyUninteresting(): boolean {
    return this.#queue.values().every((q) => this.#state.get(q.oid)?.uninteresting === true);
  }

  /** Like git's limit_list(): walks newest first until only excluded commits remain (plus slop). */
  async run(): Promise<Queued[]> {
    const taken: Queued[] = [];
    let oldestTaken = Number.POSITIVE_INFINITY;
    let slop = SLOP;
    for (let item = this.#queue.pop(); item; item = this.#queue.pop()) {
      const state = this.#state.get(item.oid);
      if (!state) continue;
      const commit = await this.#reader.commit(item.oid);
      state.parents = commit.parent;
      if (state.uninteresting) {
        await Promise.all(commit.parent.map((p) => this.enqueue(p, true)));
        const next = this.#queue.peek();
        if (!next) break;
        if (oldestTaken <= next.time || !this.#everybodyUninteresting()) slop = SLOP;
        else if (--slop === 0) break;
        continue;
      }
      taken.push(item);
      oldestTaken = item.time;
      await Promise.all(commit.parent.map((p) => this.enqueue(p, false)));
    }
    return taken.filter((q) => this.#state.get(q.oid)?.uninteresting !== true);
  }
}

/** Parents before children; among commits that are ready, the oldest (then the farthest from `to`) first. */
function oldestFirst(commits: readonly Queued[], parentsOf: (oid: string) => readonly string[]): Queued[] {
  const inRange = new Map(commits.map((c) => [c.oid, c]));
  const waiting = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const c of commits) {
    const parents = [...new Set(parentsOf(c.oid))].filter((p) => inRange.has(p));
    waiting.set(c.oid, parents.length);
    for (const p of parents) children.set(p, [...(children.get(p) ?? []), c.oid]);
  }
  const ready = new PriorityQueue<Queued>((a, b) => a.time < b.time || (a.time === b.time && a.seq > b.seq));
  for (const c of commits) if (waiting.get(c.oid) === 0) ready.push(c);
  const out: Queued[] = [];
  for (let c = ready.pop(); c; c = ready.pop()) {
    out.push(c);
    for (const child of children.get(c.oid) ?? []) {
      const left = (waiting.get(child) ?? 1) - 1;
      waiting.set(child, left);
      const queued = inRange.get(child);
      if (left === 0 && queued) ready.push(queued);
    }
  }
  return out;
}

function record(oid: string, commit: CommitObject, changed: FileDiff[]): CommitRecord {
  const signature = (s: CommitObject['author']): Signature => ({
    name: s.name,
    email: s.email,
    timestamp: s.timestamp,
    timezoneOffset: s.timezoneOffset,
  });
  return {
    oid,
    parents: [...commit.parent],
    author: signature(commit.author),
    committer: signature(commit.committer),
    message: commit.message.replace(/\n+$/, ''),
    changed,
  };
}

/**
 * The commits reachable from `to` but not from `from` (all of `to`'s history
 * when `from` is `null`), oldest first with parents always before children,
 * each with its changes against its first parent (so a merge shows what it
 * brought into the first parent's line). `from` need not be an ancestor of
 * `to` (after a force push the result is still `from..to`).
 *
 * The walk stops once only commits reachable from `from` remain, as git's
 * does, so a short range in a long history reads little more than the range.
 */
export async function commitsBetween(fs: GitFs, gitdir: string, from: string | null, to: string): Promise<CommitRecord[]> {
  return commitsBetweenWith(new ObjectReader(fs, gitdir), from, to);
}

/**
 * `commitsBetween` over any reader (for example one that also sees a pack
 * being pushed). `each`, if given, is called with every commit in order as
 * soon as its changes are known, while its trees are still in the reader's
 * memo (a push checks them there rather than walking the history twice).
 */
export async function commitsBetweenWith(reader: ObjectReading, from: string | null, to: string, each?: (record: CommitRecord) => Promise<void>): Promise<CommitRecord[]> {
  if (from === to) return [];
  const walk = new RangeWalk(reader);
  await walk.enqueue(to, false);
  if (from !== null) await walk.enqueue(from, true);
  const taken = await walk.run();
  const ordered = oldestFirst(taken, (oid) => walk.state(oid)?.parents ?? []);
  const out: CommitRecord[] = [];
  for (const { oid } of ordered) {
    const commit = await reader.commit(oid);
    const first = commit.parent[0];
    const before = first === undefined ? null : await reader.rootTree(first);
    const made = record(oid, commit, await diffTrees(reader, before, commit.tree));
    out.push(made);
    await each?.(made);
  }
  return out;
}
