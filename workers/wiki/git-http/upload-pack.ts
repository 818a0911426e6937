/**
 * git-upload-pack over smart HTTP, protocol v0/v1, stateless: each POST
 * carries the wants (and shallow/deepen lines), then haves ending in a flush
 * (negotiation continues: ACK/NAK and the client asks again) or `done` (or a
 * "ready" with no-done): then the pack, on side-band 1 with progress on 2.
 * Negotiation follows git's upload-pack.c (multi_ack_detailed, no-done);
 * `--depth` fetches get shallow/unshallow lines. The pack copies entries from
 * stored packs where it can (deltas included) and compresses loose objects.
 */
import type { RepoObjects } from './object-store.ts';
import { type ObjectType } from '../git/objects.ts';
import { packObjects, type PackStats } from './pack-objects.ts';
import { ParsedReader } from './parsed-reader.ts';
import { FLUSH, lineText, pkt, PktReader, ProtocolError, sideband } from './pkt-line.ts';
import { allWantsReachCommon, commitsToSend, isAncestor, objectsToSend, shallowBoundary, type ObjectToSend } from './walk.ts';

export const UPLOAD_PACK_CAPABILITIES = [
  'multi_ack',
  'multi_ack_detailed',
  'no-done',
  'side-band',
  'side-band-64k',
  'thin-pack',
  'ofs-delta',
  'shallow',
  'no-progress',
  'include-tag',
  'allow-tip-sha1-in-want',
  'allow-reachable-sha1-in-want',
];

export interface UploadRequest {
  wants: string[];
  capabilities: Set<string>;
  clientShallows: string[];
  depth: number;
  haves: string[];
  /**
   * How the request ended: `done` asks for the pack; a flush asks for ACKs;
   * `eof` (the body ends after the wants: a `--depth` request's first round)
   * asks only for the shallow list.
   */
  end: 'done' | 'flush' | 'eof';
}

/**
 * Most want lines in one request. The wiki advertises one ref, so a client
 * wants one commit (a few more with `fetch <sha>`); the cap keeps an
 * anonymous request from making the worker, which serves every wiki, parse
 * and check millions of them.
 */
export const MAX_WANTS = 1000;
/** Most shallow lines: one per shallow boundary a client keeps. */
export const MAX_SHALLOWS = 10_000;
/**
 * Most have lines looked at: each costs a lookup on disk. Haves past this
 * are ignored, which only makes the pack larger (the client then gets
 * commits it had), never wrong.
 */
export const MAX_HAVES = 10_000;

/** Parses an upload-pack request body. */
export function parseUploadRequest(body: Uint8Array): UploadRequest {
  const reader = new PktReader(body);
  const request: UploadRequest = { wants: [], capabilities: new Set(), clientShallows: [], depth: 0, haves: [], end: 'flush' };
  const wanted = new Set<string>();
  for (;;) {
    const p = reader.next();
    if (p.kind === 'flush' || p.kind === 'end') break;
    if (p.kind !== 'data') throw new ProtocolError('unexpected delimiter');
    const line = lineText(p.bytes);
    let m: RegExpExecArray | null;
    if ((m = /^want ([0-9a-f]{40})(?: (.*))?$/.exec(line))) {
      if (request.wants.length === 0 && m[2]) for (const c of m[2].split(' ')) if (c) request.capabilities.add(c);
      if (!wanted.has(m[1]!)) {
        if (wanted.size >= MAX_WANTS) throw new ProtocolError(`too many want lines (at most ${MAX_WANTS})`);
        wanted.add(m[1]!);
        request.wants.push(m[1]!);
      }
    } else if ((m = /^shallow ([0-9a-f]{40})$/.exec(line))) {
      if (request.clientShallows.length >= MAX_SHALLOWS) throw new ProtocolError(`too many shallow lines (at most ${MAX_SHALLOWS})`);
      request.clientShallows.push(m[1]!);
    }
    else if ((m = /^deepen (\d+)$/.exec(line))) {
      request.depth = Number(m[1]);
      if (!(request.depth > 0)) throw new ProtocolError(`invalid deepen: ${line}`);
    } else if (/^(deepen-since|deepen-not|filter) /.test(line)) throw new ProtocolError(`${line.split(' ')[0]} is not supported by this server`);
    else throw new ProtocolError(`expected want, shallow or deepen, not ${JSON.stringify(line.slice(0, 60))}`);
  }
  if (request.wants.length === 0) throw new ProtocolError('no want lines');
  for (;;) {
    const p = reader.next();
    if (p.kind === 'end') {
      if (request.haves.length === 0) request.end = 'eof';
      break;
    }
    if (p.kind === 'flush') break;
    if (p.kind !== 'data') throw new ProtocolError('unexpected delimiter');
    const line = lineText(p.bytes);
    const m = /^have ([0-9a-f]{40})$/.exec(line);
    if (m) {
      if (request.haves.length < MAX_HAVES) request.haves.push(m[1]!);
    }
    else if (line === 'done') {
      request.end = 'done';
      break;
    } else throw new ProtocolError(`expected have or done, not ${JSON.stringify(line.slice(0, 60))}`);
  }
  return request;
}

/** Where the response goes. */
export interface Sink {
  write(bytes: Uint8Array): Promise<void>;
}

/**
 * Answers one upload-pack request for a repository whose only ref is `head`.
 * Writes the negotiation lines, and the pack when the client is ready for it.
 */
export async function uploadPack(store: RepoObjects, head: string, request: UploadRequest, sink: Sink): Promise<PackStats | null> {
  const reader = new ParsedReader(store);
  const caps = request.capabilities;
  const multiAck = caps.has('multi_ack_detailed') ? 2 : caps.has('multi_ack') ? 1 : 0;
  const noDone = caps.has('no-done');
  const band = caps.has('side-band-64k') ? 65515 : caps.has('side-band') ? 995 : 0;
  const progress = band > 0 && !caps.has('no-progress');

  // Wants: commits reachable from the head (a client may have read an older advertisement).
  for (const want of request.wants) {
    const known = await store.read(want);
    if (!known || known.type !== 'commit' || !(await isAncestor(reader, want, head))) {
      await sink.write(pkt(`ERR upload-pack: not our ref ${want}`));
      return null;
    }
  }

  const wants = [...request.wants];
  const clientShallow = new Set<string>();
  for (const s of request.clientShallows) if (await store.has(s)) clientShallow.add(s);
  const shallow = new Set<string>(clientShallow);
  const extraEdges: string[] = [];
  if (request.depth > 0) {
    const { boundary, within } = await shallowBoundary(reader, request.wants, request.depth);
    const lines: Uint8Array[] = [];
    for (const oid of boundary) {
      if (!clientShallow.has(oid)) lines.push(pkt(`shallow ${oid}\n`));
      shallow.add(oid);
    }
    for (const oid of clientShallow) {
      if (!within.has(oid)) continue;
      lines.push(pkt(`unshallow ${oid}\n`));
      for (const p of (await reader.commit(oid)).parent) if (!wants.includes(p)) wants.push(p);
      extraEdges.push(oid);
    }
    lines.push(FLUSH);
    for (const l of lines) await sink.write(l);
  }

  // Like git's upload-pack, which dies reading past the end of a request that stops after its wants.
  if (request.end === 'eof') return null;

  // Negotiation (git's get_common_commits, one stateless round).
  const theyHave = new Set<string>();
  const haveObjects: string[] = [];
  let oldestHave = 0;
  let lastHex = '';
  let gotCommon = false;
  let gotOther = false;
  let sentReady = false;
  const memo = new Map<string, boolean>();
  const okToGiveUp = () => (haveObjects.length === 0 ? Promise.resolve(false) : allWantsReachCommon(reader, wants, theyHave, oldestHave, memo));
  for (const have of request.haves) {
    const object = await store.read(have);
    if (!object) {
      gotOther = true;
      if (multiAck && (await okToGiveUp())) {
        if (multiAck === 2) {
          sentReady = true;
          await sink.write(pkt(`ACK ${have} ready\n`));
        } else await sink.write(pkt(`ACK ${have} continue\n`));
      }
      continue;
    }
    let knew = false;
    if (object.type === 'commit') {
      knew = theyHave.has(have);
      theyHave.add(have);
      const commit = await reader.commit(have);
      if (!oldestHave || commit.committer.timestamp < oldestHave) oldestHave = commit.committer.timestamp;
      for (const p of commit.parent) theyHave.add(p);
    }
    if (!knew) haveObjects.push(have);
    gotCommon = true;
    lastHex = have;
    if (multiAck === 2) await sink.write(pkt(`ACK ${have} common\n`));
    else if (multiAck === 1) await sink.write(pkt(`ACK ${have} continue\n`));
    else if (haveObjects.length === 1) await sink.write(pkt(`ACK ${have}\n`));
  }
  if (request.end === 'flush') {
    if (multiAck === 2 && gotCommon && !gotOther && (await okToGiveUp())) {
      sentReady = true;
      await sink.write(pkt(`ACK ${lastHex} ready\n`));
    }
    if (haveObjects.length === 0 || multiAck) await sink.write(pkt('NAK\n'));
    if (!(noDone && sentReady)) return null; // the client asks again
    await sink.write(pkt(`ACK ${lastHex}\n`));
  } else if (haveObjects.length > 0) {
    if (multiAck) await sink.write(pkt(`ACK ${lastHex}\n`));
  } else {
    await sink.write(pkt('NAK\n'));
  }

  return sendPack(store, reader, { wants, exclude: [...haveObjects.filter((h) => theyHave.has(h)), ...extraEdges], shallow, band, progress, thin: caps.has('thin-pack'), ofs: caps.has('ofs-delta') }, sink);
}

interface PackPlan {
  wants: string[];
  exclude: string[];
  shallow: Set<string>;
  band: number;
  progress: boolean;
  thin: boolean;
  ofs: boolean;
}

async function sendPack(store: RepoObjects, reader: ParsedReader, plan: PackPlan, sink: Sink): Promise<PackStats> {
  const say = async (text: string) => {
    if (plan.progress) for (const p of sideband(2, text, plan.band)) await sink.write(p);
  };
  const data = async (bytes: Uint8Array) => {
    if (plan.band) for (const p of sideband(1, bytes, plan.band)) await sink.write(p);
    else await sink.write(bytes);
  };
  const { commits, edges } = await commitsToSend(reader, plan.wants, plan.exclude, plan.shallow);
  const { objects, known } = await objectsToSend(reader, commits, [...edges, ...plan.exclude.filter((e) => !edges.includes(e))]);
  const all: ObjectToSend[] = [...commits.map((oid) => ({ oid, type: 'commit' as ObjectType })), ...objects];
  await say(`Enumerating objects: ${all.length}, done.\n`);
  const stats = await packObjects(all, { packs: await store.packs(), read: (oid) => store.read(oid) }, { ofs: plan.ofs, thinBases: plan.thin ? known : null }, data);
  await say(`Total ${stats.objects} (reused ${stats.reused}, delta ${stats.reusedDeltas}), ${(stats.bytes / 1024).toFixed(0)} KiB\n`);
  if (plan.band) await sink.write(FLUSH);
  return stats;
}

