/**
 * Writes a pack as a stream: the header (which must name the object count up
 * front), then entries, either whole objects compressed here or entries copied
 * verbatim from a stored pack (a delta keeps its compressed delta data; only
 * its base reference is rewritten), then the SHA-1 trailer.
 */
import { encodeEntryHeader, encodeOfsDistance } from './pack.ts';
import { deflate, fromHex, OFS_DELTA, REF_DELTA, sha1, TYPE_CODES, type ObjectType } from '../git/objects.ts';

const BUFFER = 64 * 1024;

export class PackWriter {
  readonly #sink: (chunk: Uint8Array) => Promise<void> | void;
  readonly #hash = sha1();
  #buffer = new Uint8Array(BUFFER);
  #used = 0;
  #offset = 0;
  #written = 0;
  readonly #expected: number;
  /** Where each object written so far starts, by id (for ofs-delta bases). */
  readonly offsets = new Map<string, number>();

  constructor(count: number, sink: (chunk: Uint8Array) => Promise<void> | void) {
    this.#sink = sink;
    this.#expected = count;
    const header = new Uint8Array(12);
    header.set([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2]);
    new DataView(header.buffer).setUint32(8, count);
    this.#hash.update(header);
    this.#buffer.set(header);
    this.#used = this.#offset = header.byteLength;
  }

  get objects(): number {
    return this.#written;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#offset;
  }

  async #append(bytes: Uint8Array): Promise<void> {
    this.#hash.update(bytes);
    this.#offset += bytes.byteLength;
    if (bytes.byteLength >= BUFFER) {
      await this.#flush();
      await this.#sink(bytes);
      return;
    }
    if (this.#used + bytes.byteLength > BUFFER) await this.#flush();
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.byteLength;
  }

  async #flush(): Promise<void> {
    if (this.#used === 0) return;
    const chunk = this.#buffer.slice(0, this.#used);
    this.#used = 0;
    await this.#sink(chunk);
  }

  /** A whole object, compressed here. */
  async whole(oid: string, type: ObjectType, data: Uint8Array): Promise<void> {
    this.offsets.set(oid, this.#offset);
    await this.#append(encodeEntryHeader(TYPE_CODES[type], data.byteLength));
    await this.#append(deflate(data));
    this.#written++;
  }

  /** A whole object whose compressed data is copied from a stored pack. */
  async rawWhole(oid: string, type: ObjectType, size: number, compressed: Uint8Array): Promise<void> {
    this.offsets.set(oid, this.#offset);
    await this.#append(encodeEntryHeader(TYPE_CODES[type], size));
    await this.#append(compressed);
    this.#written++;
  }

  /**
   * A delta copied from a stored pack, against `baseOid`, which must already
   * be in this pack when `ofs` is true (then an ofs-delta, else a ref-delta).
   */
  async rawDelta(oid: string, baseOid: string, deltaSize: number, compressed: Uint8Array, ofs: boolean): Promise<void> {
    const start = this.#offset;
    this.offsets.set(oid, start);
    const baseAt = this.offsets.get(baseOid);
    if (ofs && baseAt !== undefined) {
      await this.#append(encodeEntryHeader(OFS_DELTA, deltaSize));
      await this.#append(encodeOfsDistance(start - baseAt));
    } else {
      await this.#append(encodeEntryHeader(REF_DELTA, deltaSize));
      await this.#append(fromHex(baseOid));
    }
    await this.#append(compressed);
    this.#written++;
  }

  /** Writes the trailer; throws if the count in the header was wrong. */
  async finish(): Promise<void> {
    if (this.#written !== this.#expected) throw new Error(`pack announced ${this.#expected} objects but holds ${this.#written}`);
    const digest = this.#hash.digest();
    this.#offset += 20;
    if (this.#used + 20 > BUFFER) await this.#flush();
    this.#buffer.set(digest, this.#used);
    this.#used += 20;
    await this.#flush();
  }
}
