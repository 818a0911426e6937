/**
 * git-receive-pack over smart HTTP: the ref update commands, then the pack.
 * A wiki has one branch, `main`, which a push may only fast-forward (or, in a
 * wiki that still holds only the first commit it was created with, replace:
 * that is how an existing wiki's history is brought in). The pack is indexed
 * and checked in memory (push-rules.ts) before anything is stored; then its
 * objects are stored and the head moves through `advanceHead`, the same
 * writer lock, head compare-and-swap and index batch as every other write.
 * Answers with report-status, on side-band 1, with explanations on band 2.
 */
import { AppError } from '../../lib/errors.ts';
import { commitsBetweenWith } from '../git/commits-between.ts';
import { MAIN_REF } from '../git/git-fs.ts';
import { ensureRepository, systemIdentity } from '../service/ensure-repository.ts';
import type { Repository } from '../service/repository-handle.ts';
import { advanceHead } from '../service/write.ts';
import type { RepoObjects } from './object-store.ts';
import { ZERO_OID } from '../git/objects.ts';
import { Pack, type PackObject } from './pack.ts';
import { overlay, ParsedReader } from './parsed-reader.ts';
import { concat } from '../../lib/bytes.ts';
import { FLUSH, lineText, pkt, PktReader, ProtocolError, sideband } from './pkt-line.ts';
import { PushChecker, type PushIdentity, type PushLimits } from './push-rules.ts';

export const RECEIVE_PACK_CAPABILITIES = ['report-status', 'side-band-64k', 'quiet', 'ofs-delta', 'no-thin'];

/** Packs with fewer objects are stored as loose objects (git's receive.unpackLimit). */
export const UNPACK_LIMIT = 100;

export interface PushCommand {
  old: string;
  new: string;
  ref: string;
}

export interface ReceiveRequest {
  commands: PushCommand[];
  capabilities: Set<string>;
  /** The pack after the commands (absent for a probe or deletes only). */
  pack: Uint8Array | null;
}

export function parseReceiveRequest(body: Uint8Array): ReceiveRequest {
  const reader = new PktReader(body);
  const request: ReceiveRequest = { commands: [], capabilities: new Set(), pack: null };
  for (;;) {
    const p = reader.next();
    if (p.kind === 'flush' || p.kind === 'end') break;
    if (p.kind !== 'data') throw new ProtocolError('unexpected delimiter');
    let bytes = p.bytes;
    const nul = bytes.indexOf(0);
    if (nul !== -1) {
      if (request.commands.length === 0) for (const c of lineText(bytes.subarray(nul + 1)).split(' ')) if (c) request.capabilities.add(c);
      bytes = bytes.subarray(0, nul);
    }
    const line = lineText(bytes);
    if (/^shallow [0-9a-f]{40}$/.test(line)) continue; // a shallow clone pushing: its commits are checked for completeness anyway
    const m = /^([0-9a-f]{40}) ([0-9a-f]{40}) (refs\/\S+)$/.exec(line);
    if (!m) throw new ProtocolError(line.startsWith('push-cert') ? 'signed pushes are not supported' : `bad command ${JSON.stringify(line.slice(0, 100))}`);
    request.commands.push({ old: m[1]!, new: m[2]!, ref: m[3]! });
  }
  const rest = reader.rest();
  request.pack = rest.byteLength > 0 ? rest : null;
  return request;
}

/** A command refused: `reason` is the short report-status text, `explain` the lines shown as `remote:`. */
class Refusal extends Error {
  readonly reason: string;
  readonly explain: string[];
  constructor(reason: string, explain: string[]) {
    super(reason);
    this.reason = reason;
    this.explain = explain;
  }
}

export interface ReceiveContext {
  repo: Repository;
  apex: string;
  store: RepoObjects;
  limits: PushLimits;
  /** The pusher, whose wiki identity alone pushed commits may carry; null for an operator's import. */
  identity: PushIdentity | null;
}

/** True when `head` is the only commit and the one the wiki was created with (nothing written since). */
async function isUntouched(reader: ParsedReader, head: string, apex: string): Promise<boolean> {
  const commit = await reader.commit(head);
  return commit.parent.length === 0 && commit.author.email === systemIdentity(apex).email && commit.message.trim() === 'Initial commit';
}

/** The receive-pack advertisement's view of the head: none while the wiki is untouched, so an import pushes without --force. */
export async function advertisedHead(store: RepoObjects, head: string, apex: string): Promise<string | null> {
  return (await isUntouched(new ParsedReader(store), head, apex)) ? null : head;
}

async function writeLoose(store: RepoObjects, objects: readonly (() => Promise<PackObject>)[]): Promise<void> {
  for (let at = 0; at < objects.length; at += 16) {
    await Promise.all(objects.slice(at, at + 16).map(async (read) => {
      const object = await read();
      await store.writeLoose(object.type, object.data);
    }));
  }
}

/**
 * Stores the pushed objects: a small pack as loose objects, a large one as
 * the pack itself (git's receive.unpackLimit). With a pack, the head's commit,
 * trees and files are also written loose: the wiki's page reads go through
 * isomorphic-git, which reloads and re-checks a whole pack in every request,
 * so the current pages stay as quick to read as after any web edit (history
 * reads the pack). Duplicates are legal in git.
 */
async function storeObjects(store: RepoObjects, pack: Pack, reader: ParsedReader, head: string): Promise<void> {
  const entries = pack.oids.map((_, i) => i).filter((i) => pack.byOid.get(pack.oids[i]!) === i);
  if (pack.count < UNPACK_LIMIT || pack.externalBases > 0) {
    return writeLoose(store, entries.map((i) => () => pack.readEntry(i, (oid) => store.read(oid))));
  }
  await store.writePack(pack);
  const current: string[] = [head];
  const walk = async (tree: string): Promise<void> => {
    current.push(tree);
    for (const e of await reader.tree(tree)) {
      if (e.type === 'tree') await walk(e.oid);
      else if (e.type === 'blob') current.push(e.oid);
    }
  };
  await walk(await reader.rootTree(head));
  await writeLoose(store, [...new Set(current)].map((oid) => () => reader.object(oid)));
}

/**
 * Content a pack may carry that the pushed commits do not use (objects the
 * wiki already has do not count): a tag or two from `--follow-tags`. More is
 * refused: stored, it would fill the disk outside the wiki's quota, which
 * counts only the pages and files the wiki holds.
 */
export const MAX_UNUSED_BYTES = 64 * 1024;
const MAX_UNUSED_OBJECTS = 10_000;

async function refuseUnusedObjects(store: RepoObjects, pack: Pack, used: ReadonlySet<string>): Promise<void> {
  const unused = pack.oids.filter((oid, i) => pack.byOid.get(oid) === i && !used.has(oid)).map((oid) => ({ oid, size: pack.sizes[pack.byOid.get(oid)!] ?? 0 }));
  let bytes = unused.reduce((n, u) => n + u.size, 0);
  if (bytes <= MAX_UNUSED_BYTES) return;
  if (unused.length <= MAX_UNUSED_OBJECTS) {
    for (const u of unused) {
      if (await store.has(u.oid)) bytes -= u.size;
    }
    if (bytes <= MAX_UNUSED_BYTES) return;
  }
  throw new Refusal('refused: unused objects', [
    `The push holds ${unused.length} objects (${bytes} bytes) that main's commits do not use (another branch's, or none at all); the wiki keeps only what its history needs.`,
    'Push main alone: git push origin main',
  ]);
}

async function updateMain(ctx: ReceiveContext, command: PushCommand, pack: Pack | null): Promise<{ commits: number }> {
  const { headCommit: head } = await ensureRepository(ctx.repo, ctx.apex);
  // Every object the checks below read (commits, new trees, sizes of new files): what the push uses.
  const used = new Set<string>();
  const source = pack
    ? overlay({ read: (oid) => (used.add(oid), pack.read(oid, (b) => ctx.store.read(b))) }, ctx.store)
    : ctx.store;
  const reader = new ParsedReader(source);
  const untouched = await isUntouched(reader, head, ctx.apex);
  if (command.old !== head && !(command.old === ZERO_OID && untouched)) {
    throw new Refusal('fetch first', ['The wiki has changed since you last fetched it.', 'Run "git pull" (or "git pull --rebase"), then push again.']);
  }
  if (command.new === head) return { commits: 0 };
  try {
    await reader.commit(command.new);
  } catch (err) {
    if (err instanceof AppError) throw new Refusal('missing necessary objects', [`The push does not contain the commit ${command.new}.`]);
    throw err;
  }
  const sizeOf = async (oid: string): Promise<number | null> => {
    used.add(oid);
    const index = pack?.byOid.get(oid);
    if (pack && index !== undefined) return pack.sizes[index] ?? (await pack.readEntry(index)).data.byteLength;
    const stored = await ctx.store.read(oid);
    return stored && stored.type === 'blob' ? stored.data.byteLength : null;
  };
  // Each commit is checked as the walk reaches it, while its trees are in the reader's memo.
  const checker = new PushChecker(reader, ctx.limits, sizeOf, ctx.identity);
  let commits;
  try {
    commits = await commitsBetweenWith(reader, head, command.new, (c) => checker.check(c));
  } catch (err) {
    if (err instanceof AppError) throw new Refusal('missing necessary objects', [`The pushed history is incomplete: ${err.message}`]);
    throw err;
  }
  let replace = false;
  if (!commits.some((c) => c.parents.includes(head))) {
    if (!untouched) {
      throw new Refusal('non-fast-forward', [
        'The wiki has commits that your branch does not contain; a push may only add commits on top of them.',
        'Run "git pull" (or "git pull --rebase"), then push again. Force pushes are not accepted.',
      ]);
    }
    // The head is not in the pushed history, so the walk above already took all of it: the
    // history replaces the wiki's (an import into a new wiki), already checked.
    replace = true;
  }
  const problems = [...checker.problems, ...checker.identityProblems];
  if (problems.length > 0) throw new Refusal('refused: see the messages above', ['The push was refused; nothing was changed:', ...problems.map((p) => `  ${p}`)]);
  if (pack) {
    await refuseUnusedObjects(ctx.store, pack, used);
    await storeObjects(ctx.store, pack, reader, command.new);
  }
  try {
    return await advanceHead(ctx.repo, ctx.apex, {
      expected: head,
      target: command.new,
      commits,
      replace,
      readBlob: (oid) => reader.blob(oid),
      reader,
      ...(ctx.identity ? { pushedBy: ctx.identity.did } : {}),
      // An attachment's size from the pack, not by rebuilding a large file from its deltas.
      blobSize: async (oid) => (await sizeOf(oid)) ?? (await reader.blob(oid)).byteLength,
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict') throw new Refusal('fetch first', [err.message]);
    if (err instanceof AppError && err.code === 'too_large') throw new Refusal('over quota', [err.message]);
    throw err;
  }
}

/**
 * Brings the history of `target` (its objects in `pack`, which must hold all
 * of them) into a wiki that still holds only the first commit it was created
 * with, exactly as a push into that wiki would: the same checks, the same
 * storage, the same head compare-and-swap and index batch. For imports.
 * Throws an AppError explaining a refusal.
 */
export async function importHistory(ctx: ReceiveContext, target: string, pack: Pack): Promise<{ commits: number }> {
  const { headCommit: head } = await ensureRepository(ctx.repo, ctx.apex);
  if (!(await isUntouched(new ParsedReader(ctx.store), head, ctx.apex))) {
    throw new AppError('conflict', `The wiki "${ctx.repo.wiki.slug}" already has pages or history of its own; import into a new wiki.`);
  }
  try {
    return await updateMain(ctx, { old: ZERO_OID, new: target, ref: MAIN_REF }, pack);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    throw new AppError(err.reason === 'over quota' ? 'too_large' : 'invalid', err.explain.join('\n'));
  }
}

export interface ReceiveOutcome {
  body: Uint8Array;
  /** The commands that moved `main`, and how many commits the index took in. */
  updated: number;
  commits: number;
}

/**
 * How much indexing a pushed pack may inflate and rebuild from deltas, for
 * a pack of `packBytes`: honest histories inflate to a few hundred times
 * their pack (every version of every tree), so a thousand times plus a
 * floor lets them in; a small pack of deltas that each rebuild a large file
 * (minutes of the worker's CPU, for every wiki) stops within the budget. The
 * cap bounds the largest pack a push may send.
 */
export function maxInflatedBytes(packBytes: number): number {
  return Math.min(INFLATION_FLOOR + INFLATION_RATIO * packBytes, INFLATION_CAP);
}
const INFLATION_FLOOR = 256 * 1024 * 1024;
const INFLATION_RATIO = 1000;
const INFLATION_CAP = 8 * 1024 * 1024 * 1024;

/** Runs a parsed receive-pack request and builds the report. */
export async function receivePack(ctx: ReceiveContext, request: ReceiveRequest): Promise<ReceiveOutcome> {
  const useBand = request.capabilities.has('side-band-64k');
  const messages: string[] = [];
  const statuses: { ref: string; error: string | null }[] = [];
  let unpack = 'ok';
  let pack: Pack | null = null;
  let commits = 0;
  let updated = 0;
  if (request.pack) {
    try {
      // Files over the limit are refused by the push rules, which name them; an object far beyond it
      // is refused as the pack is read, before it is inflated (a small pack can declare huge objects).
      pack = await Pack.index(request.pack, {
        external: (oid) => ctx.store.read(oid),
        maxObjectBytes: 4 * ctx.limits.maxFileBytes,
        maxInflatedBytes: maxInflatedBytes(request.pack.byteLength),
      });
    } catch (err) {
      unpack = `unpacker error: ${String((err as Error).message ?? err).replace(/\s+/g, ' ').slice(0, 200)}`;
      messages.push(`The pack could not be read: ${(err as Error).message}`);
    }
  }
  for (const command of request.commands) {
    if (unpack !== 'ok') {
      statuses.push({ ref: command.ref, error: 'unpacker error' });
      continue;
    }
    try {
      if (command.ref !== MAIN_REF) throw new Refusal(`only ${MAIN_REF} can be pushed`, [`This wiki keeps one branch, main; ${command.ref} was not changed.`, 'Push your branch to main with: git push origin HEAD:main']);
      if (command.new === ZERO_OID) throw new Refusal('deleting main is not allowed', ['The main branch of a wiki cannot be deleted.']);
      const result = await updateMain(ctx, command, pack);
      commits += result.commits;
      updated++;
      statuses.push({ ref: command.ref, error: null });
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      statuses.push({ ref: command.ref, error: err.reason });
      messages.push(...err.explain);
    }
  }
  const report = concat([
    pkt(`unpack ${unpack}\n`),
    ...statuses.map((s) => pkt(s.error ? `ng ${s.ref} ${s.error}\n` : `ok ${s.ref}\n`)),
    FLUSH,
  ]);
  if (!useBand) return { body: report, updated, commits };
  const parts: Uint8Array[] = [];
  if (messages.length) parts.push(...sideband(2, messages.map((m) => `${m}\n`).join('')));
  else if (commits > 0 && !request.capabilities.has('quiet')) parts.push(...sideband(2, `Indexed ${commits} commit${commits === 1 ? '' : 's'}.\n`));
  parts.push(...sideband(1, report), FLUSH);
  return { body: concat(parts), updated, commits };
}
