/**
 * Git objects as bytes: ids, loose-object encoding, encoding and parsing of
 * commits and trees in the shapes isomorphic-git uses (so the rest of the
 * wiki's git code can read and write them without it), plus the zlib and
 * SHA-1 primitives the protocol needs.
 * Runs in workerd (nodejs_compat) and in Node alike.
 */
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import type { CommitObject, TreeEntry } from 'isomorphic-git';
import type { Signature } from './commit-identity.ts';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';

/** Type numbers in pack entry headers. */
export const TYPE_CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
export const OFS_DELTA = 6;
export const REF_DELTA = 7;

export function typeOfCode(code: number): ObjectType | null {
  return code === 1 ? 'commit' : code === 2 ? 'tree' : code === 3 ? 'blob' : code === 4 ? 'tag' : null;
}

export const ZERO_OID = '0'.repeat(40);

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const looseUtf8 = new TextDecoder();

/** An incremental SHA-1. */
export function sha1(): { update(data: Uint8Array): void; digest(): Uint8Array } {
  const h = createHash('sha1');
  return {
    update: (data) => void h.update(data),
    digest: () => new Uint8Array(h.digest()),
  };
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** `"<type> <size>\0"`, what git hashes and stores before an object's content. */
export function objectHeader(type: ObjectType, size: number): Uint8Array {
  return encoder.encode(`${type} ${size}\0`);
}

/** The id of an object with this type and content. */
export function objectId(type: ObjectType, data: Uint8Array): string {
  const h = sha1();
  h.update(objectHeader(type, data.byteLength));
  h.update(data);
  return toHex(h.digest());
}

/** zlib-compresses `data` (level 1 by default: the protocol favours speed). */
export function deflate(data: Uint8Array, level = 1): Uint8Array {
  return deflateSync(data, { level });
}

export function inflate(data: Uint8Array): Uint8Array {
  return inflateSync(data);
}

/** No object in a pack may be larger (the wiki's own limits are far below; this keeps a hostile pack from exhausting memory). */
export const MAX_OBJECT_BYTES = 128 * 1024 * 1024;

/**
 * workerd's zlib grows its output 16 KiB at a time and refuses once that
 * capacity passes `maxOutputLength`, so the cap needs this much room above
 * the size sought (measured: 70,000 bytes fail with a cap of 70,001).
 */
export const OUTPUT_SLACK = 64 * 1024;

/** The zlib stream `bytes[start, end)` inflated, refusing more than `expected` bytes of output (plus one, so an overlong stream shows). */
export function inflateExact(bytes: Uint8Array, start: number, end: number, expected: number): Uint8Array {
  const out = inflateSync(bytes.subarray(start, end), { maxOutputLength: expected + 1 + OUTPUT_SLACK });
  if (out.byteLength > expected + 1) throw new Error(`the stream inflates to more than the ${expected} bytes declared`);
  // A plain view, not a Buffer: callers compare and slice bytes, and Buffer's methods differ.
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Inflates the zlib stream that starts at `offset` of `bytes` and ends
 * somewhere before the end (as in a pack, whose entries do not record their
 * compressed length). `expected` (the inflated size the pack header declares)
 * bounds how much input is offered first, so a large pack is not handed whole
 * to zlib for every entry. Returns the inflated bytes and where the stream ended.
 *
 * zlib ignores input after a stream's end but does not say where that was
 * without `inflateSync(…, { info: true })`, which builds a whole stream object
 * per call whose native buffers live until a garbage collection: indexing a
 * 2,000-commit pack that way grew workerd by 100 MiB that its allocator never
 * gave back. So the end is found from the stream's trailer instead: the
 * Adler-32 of the output, big-endian, which almost always occurs once within
 * reach; when it occurs more often, zlib's stream object counts the end after
 * all. (Input cut before the end fails to inflate, so a window that failed
 * bounds where to look.)
 */
export function inflateAt(bytes: Uint8Array, offset: number, expected: number, maxBytes = MAX_OBJECT_BYTES): { data: Uint8Array; end: number } {
  if (expected > maxBytes) throw new Error(`an object of ${expected} bytes is larger than the ${maxBytes} allowed`);
  // Deflate never grows data by more than ~5 bytes per 16 KiB block plus headers.
  const guess = expected + 5 * Math.ceil((expected + 1) / 16383) + 64;
  // Input cut at `short` is known not to hold the whole stream.
  let short = offset;
  // A stream longer than the guess (only a contrived encoder makes one) gets twice the window, then
  // twice again: the end lies past the last window that failed, so it is never looked for far away.
  for (let size = guess; ; size *= 2) {
    const limit = Math.min(offset + size, bytes.byteLength);
    let data: Uint8Array;
    try {
      data = inflateExact(bytes, offset, limit, expected);
    } catch (err) {
      if (limit === bytes.byteLength) throw new Error(`corrupt compressed data at offset ${offset}: ${String((err as Error)?.message ?? err)}`);
      short = limit;
      continue;
    }
    return { data, end: streamEnd(bytes, offset, short, limit, adler32(data), expected) };
  }
}

/**
 * Where the zlib stream at `start` ends: after `short`, by `limit` (input up
 * to `limit` inflates), with trailer `adler`.
 */
function streamEnd(bytes: Uint8Array, start: number, short: number, limit: number, adler: number, expected: number): number {
  const b0 = adler >>> 24, b1 = (adler >>> 16) & 0xff, b2 = (adler >>> 8) & 0xff, b3 = adler & 0xff;
  let found = -1;
  // The trailer ends past `short`, and follows the two-byte header and at least one byte of deflate data.
  for (let p = Math.max(start + 3, short - 3); p + 4 <= limit; p++) {
    if (bytes[p] !== b0 || bytes[p + 1] !== b1 || bytes[p + 2] !== b2 || bytes[p + 3] !== b3) continue;
    if (found !== -1) return endFromEngine(bytes, start, limit, expected);
    found = p + 4;
  }
  // The stream completed within the window, so its trailer is there: one place is the end itself.
  if (found === -1) throw new Error(`corrupt compressed data at offset ${start}: its checksum is not where it should be`);
  return found;
}

/**
 * The end of the stream at `start` as zlib's stream object counts it: one
 * more inflation, for the rare entry whose checksum's bytes occur twice in
 * reach (inside the stream, or in the entries after it).
 */
function endFromEngine(bytes: Uint8Array, start: number, limit: number, expected: number): number {
  // Node's types do not model `info: true`; workerd and Node both return { buffer, engine }.
  const { engine } = inflateSync(bytes.subarray(start, limit), { info: true, maxOutputLength: expected + 1 + OUTPUT_SLACK }) as unknown as { engine: { bytesWritten: number } };
  return start + engine.bytesWritten;
}

/** zlib's Adler-32 checksum of `data`. */
export function adler32(data: Uint8Array): number {
  const MOD = 65521;
  // The most bytes whose sums cannot overflow 2^32 before the modulo (zlib's NMAX).
  const NMAX = 5552;
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.byteLength; ) {
    const stop = Math.min(i + NMAX, data.byteLength);
    for (; i < stop; i++) {
      a += data[i]!;
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/** Where a loose object lives in a repository. */
export function loosePath(gitdir: string, oid: string): string {
  return `${gitdir}/objects/${oid.slice(0, 2)}/${oid.slice(2)}`;
}

/** The file content of a loose object: zlib of header + content. */
export function looseObject(type: ObjectType, data: Uint8Array): Uint8Array {
  const header = objectHeader(type, data.byteLength);
  const full = new Uint8Array(header.byteLength + data.byteLength);
  full.set(header);
  full.set(data, header.byteLength);
  return deflate(full, 1);
}

/** Splits an inflated loose object into its type and content. */
export function parseLoose(raw: Uint8Array): { type: ObjectType; data: Uint8Array } {
  const nul = raw.indexOf(0);
  const header = nul > 0 ? looseUtf8.decode(raw.subarray(0, nul)) : '';
  const m = /^(commit|tree|blob|tag) (\d+)$/.exec(header);
  if (!m) throw new Error('not a git object');
  const data = raw.subarray(nul + 1);
  if (data.byteLength !== Number(m[2])) throw new Error('git object has the wrong length');
  return { type: m[1] as ObjectType, data };
}

function parseSignature(line: string): CommitObject['author'] {
  const m = /^(.*) <(.*)> (\d+) ([+-])(\d\d)(\d\d)$/.exec(line);
  if (!m) throw new Error(`malformed signature ${JSON.stringify(line.slice(0, 80))}`);
  const minutes = (m[4] === '+' ? 1 : -1) * (Number(m[5]) * 60 + Number(m[6]));
  return { name: m[1]!, email: m[2]!, timestamp: Number(m[3]), timezoneOffset: minutes === 0 ? 0 : -minutes };
}

/** Parses a commit's content; throws on anything git's fsck would call malformed in its header. */
export function parseCommit(data: Uint8Array): CommitObject {
  const text = looseUtf8.decode(data);
  const split = text.indexOf('\n\n');
  const head = split === -1 ? text : text.slice(0, split);
  const message = split === -1 ? '' : text.slice(split + 2);
  const lines = head.split('\n');
  let tree: string | undefined;
  const parent: string[] = [];
  let author: CommitObject['author'] | undefined;
  let committer: CommitObject['committer'] | undefined;
  for (const line of lines) {
    if (line.startsWith(' ')) continue; // continuation of a multi-line header (gpgsig)
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parent.push(value);
    else if (key === 'author') author = parseSignature(value);
    else if (key === 'committer') committer = parseSignature(value);
  }
  if (!tree || !/^[0-9a-f]{40}$/.test(tree) || !parent.every((p) => /^[0-9a-f]{40}$/.test(p)) || !author || !committer) {
    throw new Error('malformed commit');
  }
  return { tree, parent, author, committer, message };
}

/**
 * Calls `visit` for every entry of a tree's content with its kind and id,
 * without decoding names: the fast path for walking every tree of a history.
 */
export function scanTree(data: Uint8Array, visit: (kind: 'tree' | 'blob' | 'commit', oid: string) => void): void {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at < data.byteLength) {
    const nul = data.indexOf(0, at);
    if (nul === -1 || nul + 21 > data.byteLength) throw new Error('malformed tree');
    // Modes: 40000 (tree), 160000 (gitlink), 100644/100755/120000 (blobs and links).
    const kind = data[at] === 0x34 ? 'tree' : data[at + 1] === 0x36 ? 'commit' : 'blob';
    visit(kind, buffer.toString('hex', nul + 1, nul + 21));
    at = nul + 21;
  }
}

/** A tree entry as isomorphic-git gives it, plus the raw name bytes. */
export interface RawTreeEntry extends TreeEntry {
  /** False when the name is not valid UTF-8 (`path` then holds a lossy decoding). */
  utf8: boolean;
}

/** A tree entry's mode, the common ones without decoding (git writes `40000` for folders; isomorphic-git says `040000`). */
function modeAt(data: Uint8Array, at: number, end: number): string {
  const n = end - at;
  if (n === 5 && data[at] === 0x34 && data[at + 1] === 0x30 && data[at + 2] === 0x30 && data[at + 3] === 0x30 && data[at + 4] === 0x30) return '040000';
  if (n === 6 && data[at] === 0x31 && data[at + 1] === 0x30 && data[at + 2] === 0x30) {
    if (data[at + 3] === 0x36 && data[at + 4] === 0x34 && data[at + 5] === 0x34) return '100644';
    if (data[at + 3] === 0x37 && data[at + 4] === 0x35 && data[at + 5] === 0x35) return '100755';
  }
  const mode = looseUtf8.decode(data.subarray(at, end));
  return mode === '40000' ? '040000' : mode;
}

/**
 * Parses a tree's content (`<mode> <name>\0<20-byte id>` repeated). Ids and
 * ASCII names are read straight from the bytes, without a view per entry: an
 * import parses thousands of trees of hundreds of entries.
 */
export function parseTree(data: Uint8Array): RawTreeEntry[] {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: RawTreeEntry[] = [];
  let at = 0;
  while (at < data.byteLength) {
    const space = data.indexOf(0x20, at);
    const nul = data.indexOf(0, space + 1);
    if (space === -1 || nul === -1 || nul + 21 > data.byteLength) throw new Error('malformed tree');
    const mode = modeAt(data, at, space);
    let ascii = true;
    for (let i = space + 1; i < nul; i++) {
      if (data[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    let path: string;
    let utf8 = true;
    if (ascii) path = buffer.toString('latin1', space + 1, nul);
    else {
      const nameBytes = data.subarray(space + 1, nul);
      try {
        path = strictUtf8.decode(nameBytes);
      } catch {
        path = looseUtf8.decode(nameBytes);
        utf8 = false;
      }
    }
    const oid = buffer.toString('hex', nul + 1, nul + 21);
    const type = mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    out.push({ mode, path, oid, type, utf8 });
    at = nul + 21;
  }
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Hex digit values by char code (-1: not a hex digit). */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Writes the 20 bytes of 40-hex-digit `oid` into `out` at `at`. */
function writeOid(out: Uint8Array, at: number, oid: string): void {
  if (oid.length !== 40) throw new Error(`not an object id: ${oid}`);
  for (let i = 0; i < 20; i++) {
    const hi = HEX_VALUE[oid.charCodeAt(2 * i)] ?? -1;
    const lo = HEX_VALUE[oid.charCodeAt(2 * i + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new Error(`not an object id: ${oid}`);
    out[at + i] = (hi << 4) | lo;
  }
}

/** Writes ASCII `text` into `out` at `at`; returns where it ended. */
function writeAscii(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

interface TreeRow {
  mode: string;
  path: string;
  /** The name as git sorts it: a folder's as if it ended in '/'. */
  key: string;
  oid: string;
  /** UTF-8 of `path` and `key`, for names that are not ASCII. */
  pathBytes?: Uint8Array;
  keyBytes?: Uint8Array;
}

/**
 * A tree's content from its entries (any order; git's order is applied). Folders may be given as `040000` or `40000`.
 * Written byte by byte: a save re-encodes the root tree of every page, and Buffer#write per field was a fifth of it.
 */
export function encodeTree(entries: readonly TreeEntry[]): Uint8Array {
  let ascii = true;
  const rows: TreeRow[] = entries.map((e) => {
    const isTree = e.mode === '040000' || e.mode === '40000';
    ascii &&= ASCII.test(e.path);
    return { path: e.path, key: isTree ? `${e.path}/` : e.path, mode: isTree ? '40000' : e.mode, oid: e.oid };
  });
  // Git orders by name bytes, a folder's name read as if it ended in '/'. For
  // ASCII names JavaScript's string order is that order; otherwise compare bytes.
  if (ascii) rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  else {
    for (const r of rows) {
      r.pathBytes = encoder.encode(r.path);
      r.keyBytes = r.key === r.path ? r.pathBytes : encoder.encode(r.key);
    }
    rows.sort((a, b) => compareBytes(a.keyBytes!, b.keyBytes!));
  }
  let size = 0;
  for (const r of rows) size += r.mode.length + 1 + (r.pathBytes ? r.pathBytes.length : r.path.length) + 1 + 20;
  const out = new Uint8Array(size);
  let at = 0;
  for (const r of rows) {
    at = writeAscii(out, at, r.mode);
    out[at++] = 0x20;
    if (r.pathBytes) {
      out.set(r.pathBytes, at);
      at += r.pathBytes.length;
    } else at = writeAscii(out, at, r.path);
    out[at++] = 0;
    writeOid(out, at, r.oid);
    at += 20;
  }
  return out;
}

function formatSignature(s: Signature): string {
  // Minutes in Date#getTimezoneOffset's sign: -120 is two hours east of UTC, "+0200".
  const east = -s.timezoneOffset;
  const abs = Math.abs(east);
  const zone = `${east < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${s.name} <${s.email}> ${s.timestamp} ${zone}`;
}

/** Control characters other than tab and line feed (NUL makes `git fsck` refuse the commit, and every clone that checks). */
const MESSAGE_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Half of a UTF-16 surrogate pair without its other half: text no UTF-8 encoding can hold. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A message as a commit stores it: no carriage returns, other control characters as spaces, a lone
 * surrogate as U+FFFD (as UTF-8 encoding makes it), no leading blank lines, one final newline.
 */
export function commitMessage(message: string): string {
  return message.replace(/\r/g, '').replace(MESSAGE_CONTROLS, ' ').replace(LONE_SURROGATE, '\uFFFD').replace(/^\n+/, '').replace(/\n+$/, '') + '\n';
}

/**
 * A commit's content, byte for byte as isomorphic-git's `writeCommit` renders
 * it (so ids match): headers, a blank line, the message (`commitMessage`).
 */
export function encodeCommit(c: { tree: string; parent: readonly string[]; author: Signature; committer: Signature; message: string }): Uint8Array {
  const message = commitMessage(c.message);
  const headers = [`tree ${c.tree}`, ...c.parent.map((p) => `parent ${p}`), `author ${formatSignature(c.author)}`, `committer ${formatSignature(c.committer)}`];
  return encoder.encode(`${headers.join('\n')}\n\n${message}`);
}
