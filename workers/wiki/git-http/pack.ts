/**
 * Packfiles (gitformat-pack(5)) held in memory: indexing a pack as it
 * arrives (every object's id, resolving deltas the way `git index-pack` does),
 * opening a stored pack through its `.idx`, reading objects back with a small
 * cache of delta bases, and writing the version 2 `.idx` git and
 * isomorphic-git read. Runs in workerd and in Node.
 */
import { applyDelta } from './delta.ts';
import { fromHex, inflateAt, inflateExact, MAX_OBJECT_BYTES, objectHeader, OFS_DELTA, REF_DELTA, sha1, toHex, typeOfCode, type ObjectType } from '../git/objects.ts';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.byteLength; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A pack entry's header: its kind (1–4 whole, 6 ofs-delta, 7 ref-delta), inflated size, and where its data starts. */
export interface EntryHeader {
  kind: number;
  size: number;
  dataStart: number;
  baseOffset?: number;
  baseOid?: string;
}

export function readEntryHeader(bytes: Uint8Array, offset: number): EntryHeader {
  let at = offset;
  let byte = bytes[at++];
  if (byte === undefined) throw new Error(`pack entry at ${offset} is past the end`);
  const kind = (byte >> 4) & 7;
  let size = byte & 15;
  let shift = 4;
  while (byte & 0x80) {
    byte = bytes[at++];
    if (byte === undefined) throw new Error('truncated pack entry header');
    size += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  }
  if (kind === OFS_DELTA) {
    byte = bytes[at++]!;
    let back = byte & 0x7f;
    while (byte & 0x80) {
      byte = bytes[at++]!;
      back = (back + 1) * 128 + (byte & 0x7f);
    }
    if (back <= 0 || back > offset) throw new Error(`pack entry at ${offset} has a bad delta base offset`);
    return { kind, size, dataStart: at, baseOffset: offset - back };
  }
  if (kind === REF_DELTA) {
    if (at + 20 > bytes.byteLength) throw new Error('truncated pack entry');
    return { kind, size, dataStart: at + 20, baseOid: toHex(bytes.subarray(at, at + 20)) };
  }
  if (!typeOfCode(kind)) throw new Error(`pack entry at ${offset} has unknown type ${kind}`);
  return { kind, size, dataStart: at };
}

/** The header bytes of a pack entry of `kind` and inflated `size`. */
export function encodeEntryHeader(kind: number, size: number): Uint8Array {
  const out: number[] = [];
  let byte = (kind << 4) | (size & 15);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    out.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  out.push(byte);
  return Uint8Array.from(out);
}

/** The distance of an ofs-delta's base, in git's offset encoding. */
export function encodeOfsDistance(distance: number): Uint8Array {
  const out = [distance & 0x7f];
  let n = Math.floor(distance / 128);
  while (n > 0) {
    n -= 1;
    out.unshift(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  return Uint8Array.from(out);
}

export interface PackObject {
  type: ObjectType;
  data: Uint8Array;
}

/** A delta base the pack itself lacks (a thin pack), from the repository. */
export type ExternalBase = (oid: string) => Promise<PackObject | null>;

function packHeader(bytes: Uint8Array): number {
  if (bytes.byteLength < 32) throw new Error('the pack is truncated');
  if (bytes[0] !== 0x50 || bytes[1] !== 0x41 || bytes[2] !== 0x43 || bytes[3] !== 0x4b) throw new Error('not a pack (no PACK signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4);
  if (version !== 2 && version !== 3) throw new Error(`unsupported pack version ${version}`);
  return view.getUint32(8);
}

/**
 * Resolved objects (delta bases) a pack keeps by default. A walk of a pushed
 * 2,000-commit history is as fast with 3 MiB as with 32 (the parsed-tree memo
 * above this does the rest), and workerd keeps 30 MiB less after it.
 */
export const OBJECT_CACHE_BYTES = 4 * 1024 * 1024;

/** Resolved objects and inflated delta bases, bounded by bytes. */
class ObjectCache {
  readonly #map = new Map<number, PackObject>();
  #size = 0;
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  get(offset: number): PackObject | undefined {
    const hit = this.#map.get(offset);
    if (hit) {
      this.#map.delete(offset);
      this.#map.set(offset, hit);
    }
    return hit;
  }
  set(offset: number, value: PackObject): void {
    if (value.data.byteLength > this.max / 4 || this.#map.has(offset)) return;
    this.#map.set(offset, value);
    this.#size += value.data.byteLength;
    for (const [k, v] of this.#map) {
      if (this.#size <= this.max) break;
      this.#map.delete(k);
      this.#size -= v.data.byteLength;
    }
  }
}

/**
 * One pack in memory. Entries are kept in pack order; `oids[i]` and `types[i]`
 * name the object entry `i` resolves to.
 */
export class Pack {
  readonly bytes: Uint8Array;
  /** Entry start offsets, ascending. */
  readonly offsets: number[];
  /** Where each entry ends (the next entry's start, or the trailer). */
  readonly ends: number[];
  readonly oids: string[];
  /** Filled for every entry by `index`, lazily by `open`. */
  readonly types: (ObjectType | undefined)[];
  /** The inflated size of each object (after deltas), when known. */
  readonly sizes: (number | undefined)[];
  readonly byOid: Map<string, number>;
  readonly #byOffset: Map<number, number>;
  readonly #cache: ObjectCache;
  /** The pack's trailing checksum, hex. */
  readonly checksum: string;
  /** Objects that were deltas against bases outside the pack (thin pack). */
  externalBases = 0;

  /** Largest object any entry may be or resolve to. */
  readonly #maxObjectBytes: number;

  private constructor(bytes: Uint8Array, offsets: number[], oids: string[], cacheBytes: number, maxObjectBytes = MAX_OBJECT_BYTES) {
    this.#maxObjectBytes = maxObjectBytes;
    this.bytes = bytes;
    this.offsets = offsets;
    // Entries are contiguous, so each ends where the next begins, unless an index left some out (duplicates).
    const contiguous = offsets.length === packHeader(bytes);
    this.ends = offsets.map((offset, i) => (contiguous ? (offsets[i + 1] ?? bytes.byteLength - 20) : inflateAt(bytes, readEntryHeader(bytes, offset).dataStart, readEntryHeader(bytes, offset).size).end));
    this.oids = oids;
    this.types = new Array(offsets.length).fill(undefined);
    this.sizes = new Array(offsets.length).fill(undefined);
    this.byOid = new Map();
    oids.forEach((oid, i) => {
      if (oid && !this.byOid.has(oid)) this.byOid.set(oid, i);
    });
    this.#byOffset = new Map(offsets.map((o, i) => [o, i]));
    this.#cache = new ObjectCache(cacheBytes);
    this.checksum = toHex(bytes.subarray(bytes.byteLength - 20));
  }

  get count(): number {
    return this.offsets.length;
  }

  /**
   * Indexes a pack that has just arrived: checks its checksum, finds every
   * entry, and resolves every delta (bases in the pack, or from `external`
   * for a thin pack) to learn each object's id, type and size. An entry
   * declaring, or a delta producing, more than `maxObjectBytes` is refused
   * before its memory is taken.
   */
  static async index(bytes: Uint8Array, options: { external?: ExternalBase; cacheBytes?: number; maxObjectBytes?: number; maxInflatedBytes?: number } = {}): Promise<Pack> {
    const maxObjectBytes = options.maxObjectBytes ?? MAX_OBJECT_BYTES;
    // Everything indexing inflates or rebuilds from deltas counts against one budget: a small pack of
    // deltas against a large base would otherwise cost the worker (which every wiki shares) minutes of CPU.
    let budget = options.maxInflatedBytes ?? Infinity;
    const spend = (n: number): void => {
      budget -= n;
      if (budget < 0) throw new Error(`the pack inflates to more than ${options.maxInflatedBytes} bytes, more than a push may`);
    };
    const count = packHeader(bytes);
    const h = sha1();
    h.update(bytes.subarray(0, bytes.byteLength - 20));
    if (toHex(h.digest()) !== toHex(bytes.subarray(bytes.byteLength - 20))) throw new Error('the pack checksum does not match its content');
    const offsets: number[] = [];
    const oids: string[] = [];
    const whole: { i: number; type: ObjectType; size: number }[] = [];
    const headers: EntryHeader[] = [];
    let at = 12;
    for (let i = 0; i < count; i++) {
      const header = readEntryHeader(bytes, at);
      spend(header.size);
      const { data, end } = inflateAt(bytes, header.dataStart, header.size, maxObjectBytes);
      if (data.byteLength !== header.size) throw new Error(`pack entry at ${at} inflates to ${data.byteLength} bytes, not ${header.size}`);
      offsets.push(at);
      headers.push(header);
      const type = typeOfCode(header.kind);
      if (type) {
        const h2 = sha1();
        h2.update(objectHeader(type, data.byteLength));
        h2.update(data);
        oids.push(toHex(h2.digest()));
        whole.push({ i, type, size: data.byteLength });
      } else {
        oids.push('');
      }
      at = end;
    }
    if (at !== bytes.byteLength - 20) throw new Error('the pack has bytes after its last object');
    const pack = new Pack(bytes, offsets, oids, options.cacheBytes ?? OBJECT_CACHE_BYTES, maxObjectBytes);
    for (const w of whole) {
      pack.types[w.i] = w.type;
      pack.sizes[w.i] = w.size;
    }
    await pack.#resolveDeltas(headers, spend, options.external);
    return pack;
  }

  /** Opens a stored pack through its `.idx` (version 2); objects are parsed on demand. */
  static open(packBytes: Uint8Array, idxBytes: Uint8Array, options: { cacheBytes?: number } = {}): Pack {
    packHeader(packBytes);
    const { oids, offsets } = readIdx(idxBytes);
    const order = offsets.map((_, i) => i).sort((a, b) => offsets[a]! - offsets[b]!);
    return new Pack(packBytes, order.map((i) => offsets[i]!), order.map((i) => oids[i]!), options.cacheBytes ?? OBJECT_CACHE_BYTES);
  }

  async #resolveDeltas(headers: EntryHeader[], spend: (bytes: number) => void, external?: ExternalBase): Promise<void> {
    const byBaseOffset = new Map<number, number[]>();
    const byBaseOid = new Map<string, number[]>();
    const add = <K>(map: Map<K, number[]>, key: K, i: number) => {
      const list = map.get(key);
      if (list) list.push(i);
      else map.set(key, [i]);
    };
    for (let i = 0; i < headers.length; i++) {
      const h = headers[i]!;
      if (h.baseOffset !== undefined) {
        if (!this.#byOffset.has(h.baseOffset)) throw new Error(`pack entry at ${this.offsets[i]} has a delta base that is not an entry`);
        add(byBaseOffset, h.baseOffset, i);
      } else if (h.baseOid !== undefined) {
        add(byBaseOid, h.baseOid, i);
      }
    }
    let resolved = 0;
    const deltas = headers.filter((h) => h.baseOffset !== undefined || h.baseOid !== undefined).length;
    /** Rebuilds delta entry `child` from its base: learns its id, type and size, and returns its content. */
    const rebuild = (child: number, base: PackObject): PackObject => {
      const delta = this.#inflateEntry(child, headers[child]!);
      const data = applyDelta(base.data, delta, this.#maxObjectBytes);
      spend(delta.byteLength + data.byteLength);
      const h = sha1();
      h.update(objectHeader(base.type, data.byteLength));
      h.update(data);
      const oid = toHex(h.digest());
      this.oids[child] = oid;
      this.types[child] = base.type;
      this.sizes[child] = data.byteLength;
      if (!this.byOid.has(oid)) this.byOid.set(oid, child);
      resolved++;
      return { type: base.type, data };
    };
    // Depth-first from every object whose content is known, like index-pack: each delta applied once.
    // A child is rebuilt only when it is taken from the stack, so siblings never hold their content
    // at once (a base with many large children would otherwise hold all of them): only one chain does.
    const descend = (baseIndex: number, base: PackObject): void => {
      const stack: { index: number; base: PackObject }[] = [];
      const pushChildren = (index: number, object: PackObject) => {
        for (const child of byBaseOffset.get(this.offsets[index]!) ?? []) stack.push({ index: child, base: object });
        const byOid = byBaseOid.get(this.oids[index]!);
        byBaseOid.delete(this.oids[index]!);
        for (const child of byOid ?? []) stack.push({ index: child, base: object });
      };
      pushChildren(baseIndex, base);
      while (stack.length > 0) {
        const { index, base: object } = stack.pop()!;
        if (this.types[index] !== undefined) continue;
        pushChildren(index, rebuild(index, object));
      }
    };
    for (let i = 0; i < headers.length; i++) {
      const type = this.types[i];
      if (type === undefined || headers[i]!.baseOffset !== undefined || headers[i]!.baseOid !== undefined) continue;
      const hasChildren = byBaseOffset.has(this.offsets[i]!) || byBaseOid.has(this.oids[i]!);
      if (hasChildren) descend(i, { type, data: this.#inflateEntry(i, headers[i]!) });
    }
    // Ref-deltas against objects the pack does not hold (thin packs).
    for (const [oid, children] of [...byBaseOid]) {
      if (!byBaseOid.has(oid)) continue; // its base was rebuilt from an earlier thin chain
      const base = external ? await external(oid) : null;
      if (!base) throw new Error(`the pack has ${children.length} delta(s) against ${oid}, which is neither in the pack nor in the repository`);
      this.externalBases += children.length;
      // A synthetic parent: resolve each child against the external base, then descend.
      for (const child of children) {
        if (this.types[child] !== undefined) continue;
        descend(child, rebuild(child, base));
      }
    }
    if (resolved !== deltas) throw new Error(`the pack has ${deltas - resolved} delta(s) whose base could not be resolved`);
  }

  #inflateEntry(index: number, header: EntryHeader): Uint8Array {
    return inflateExact(this.bytes, header.dataStart, this.ends[index]!, header.size);
  }

  /** The header of entry `index`. */
  header(index: number): EntryHeader {
    return readEntryHeader(this.bytes, this.offsets[index]!);
  }

  /** The entry that starts at `offset`. */
  indexAt(offset: number): number | undefined {
    return this.#byOffset.get(offset);
  }

  has(oid: string): boolean {
    return this.byOid.has(oid);
  }

  /** The object `oid`, or null if the pack lacks it. `external` resolves ref-deltas against bases outside the pack. */
  async read(oid: string, external?: ExternalBase): Promise<PackObject | null> {
    const index = this.byOid.get(oid);
    return index === undefined ? null : this.readEntry(index, external);
  }

  /** The object entry `index` resolves to. */
  async readEntry(index: number, external?: ExternalBase): Promise<PackObject> {
    const offset = this.offsets[index]!;
    const cached = this.#cache.get(offset);
    if (cached) return cached;
    // Walk down the chain of bases to one that is whole or cached, then apply deltas back up.
    const chain: { index: number; header: EntryHeader }[] = [];
    let base: PackObject | undefined;
    for (let i = index; ; ) {
      const header = this.header(i);
      const type = typeOfCode(header.kind);
      if (type) {
        base = { type, data: this.#inflateEntry(i, header) };
        this.#cache.set(this.offsets[i]!, base);
        break;
      }
      chain.push({ index: i, header });
      if (chain.length > 10_000) throw new Error('delta chain too long');
      let next: number | undefined;
      if (header.baseOffset !== undefined) next = this.#byOffset.get(header.baseOffset);
      else next = this.byOid.get(header.baseOid!);
      if (next === undefined) {
        const outside = header.baseOid && external ? await external(header.baseOid) : null;
        if (!outside) throw new Error(`missing delta base for pack entry at ${this.offsets[i]}`);
        base = outside;
        break;
      }
      const hit = this.#cache.get(this.offsets[next]!);
      if (hit) {
        base = hit;
        break;
      }
      i = next;
    }
    for (let k = chain.length - 1; k >= 0; k--) {
      const { index: i, header } = chain[k]!;
      base = { type: base!.type, data: applyDelta(base!.data, this.#inflateEntry(i, header), this.#maxObjectBytes) };
      this.#cache.set(this.offsets[i]!, base);
    }
    this.types[index] = base!.type;
    this.sizes[index] = base!.data.byteLength;
    return base!;
  }

  /** The `.idx` (version 2) for this pack, with each entry's CRC-32. */
  idx(): Uint8Array {
    const order = this.oids.map((_, i) => i).filter((i) => this.byOid.get(this.oids[i]!) === i);
    order.sort((a, b) => (this.oids[a]! < this.oids[b]! ? -1 : this.oids[a]! > this.oids[b]! ? 1 : 0));
    const m = order.length;
    const large = order.filter((i) => this.offsets[i]! >= 0x80000000);
    const size = 8 + 256 * 4 + m * 20 + m * 4 + m * 4 + large.length * 8 + 40;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    out.set([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]);
    const fanout = new Uint32Array(256);
    for (const i of order) fanout[parseInt(this.oids[i]!.slice(0, 2), 16)]!++;
    let running = 0;
    for (let b = 0; b < 256; b++) {
      running += fanout[b]!;
      view.setUint32(8 + b * 4, running);
    }
    let at = 8 + 1024;
    for (const i of order) {
      out.set(fromHex(this.oids[i]!), at);
      at += 20;
    }
    for (const i of order) {
      view.setUint32(at, crc32(this.bytes.subarray(this.offsets[i]!, this.ends[i]!)));
      at += 4;
    }
    let largeIndex = 0;
    const largeAt = at + m * 4;
    for (const i of order) {
      const offset = this.offsets[i]!;
      if (offset < 0x80000000) view.setUint32(at, offset);
      else {
        view.setUint32(at, 0x80000000 | largeIndex);
        view.setBigUint64(largeAt + largeIndex * 8, BigInt(offset));
        largeIndex++;
      }
      at += 4;
    }
    at = largeAt + large.length * 8;
    out.set(this.bytes.subarray(this.bytes.byteLength - 20), at);
    at += 20;
    const h = sha1();
    h.update(out.subarray(0, at));
    out.set(h.digest(), at);
    return out;
  }
}

/** Object ids and offsets from a version 2 `.idx`. */
export function readIdx(idx: Uint8Array): { oids: string[]; offsets: number[] } {
  const view = new DataView(idx.buffer, idx.byteOffset, idx.byteLength);
  if (view.getUint32(0) !== 0xff744f63 || view.getUint32(4) !== 2) throw new Error('not a version 2 pack index');
  const n = view.getUint32(8 + 255 * 4);
  const oidsAt = 8 + 1024;
  const offsetsAt = oidsAt + n * 20 + n * 4;
  const largeAt = offsetsAt + n * 4;
  const oids: string[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) {
    oids.push(toHex(idx.subarray(oidsAt + i * 20, oidsAt + i * 20 + 20)));
    const o = view.getUint32(offsetsAt + i * 4);
    offsets.push(o & 0x80000000 ? Number(view.getBigUint64(largeAt + (o & 0x7fffffff) * 8)) : o);
  }
  return { oids, offsets };
}
