/**
 * Writes a list of objects as one pack, streaming: objects held in stored
 * packs first, in pack order, copied verbatim (a delta stays a delta when its
 * base is in this pack too, or, for a thin pack, when the client has it);
 * other objects compressed here. Used by upload-pack and by imports.
 */
import { AppError } from '../../lib/errors.ts';
import type { ObjectToSend } from './walk.ts';
import type { Pack, PackObject } from './pack.ts';
import { PackWriter } from './pack-writer.ts';

export interface PackStats {
  objects: number;
  reused: number;
  reusedDeltas: number;
  bytes: number;
}

export interface ObjectSources {
  /** Stored packs whose entries may be copied. */
  packs: readonly Pack[];
  /** Reads any object (packs, loose, or objects made in memory). */
  read(oid: string): Promise<PackObject | null>;
}

export async function packObjects(all: readonly ObjectToSend[], sources: ObjectSources, options: { ofs: boolean; thinBases: ReadonlySet<string> | null }, write: (chunk: Uint8Array) => Promise<void>): Promise<PackStats> {
  const { packs } = sources;
  const sending = new Set(all.map((o) => o.oid));
  const packed: { pack: number; index: number; oid: string }[] = [];
  const other: ObjectToSend[] = [];
  for (const o of all) {
    const p = packs.findIndex((pack) => pack.byOid.has(o.oid));
    if (p === -1) other.push(o);
    else packed.push({ pack: p, index: packs[p]!.byOid.get(o.oid)!, oid: o.oid });
  }
  packed.sort((a, b) => a.pack - b.pack || a.index - b.index);

  const stats: PackStats = { objects: all.length, reused: 0, reusedDeltas: 0, bytes: 0 };
  const writer = new PackWriter(all.length, write);
  for (const { pack: p, index, oid } of packed) {
    const pack = packs[p]!;
    const header = pack.header(index);
    const compressed = pack.bytes.subarray(header.dataStart, pack.ends[index]);
    const baseOid = header.baseOffset !== undefined ? pack.oids[pack.indexAt(header.baseOffset)!] : header.baseOid;
    if (baseOid === undefined) {
      await writer.rawWhole(oid, pack.types[index] ?? (await pack.readEntry(index)).type, header.size, compressed);
      stats.reused++;
    } else if (sending.has(baseOid) || options.thinBases?.has(baseOid)) {
      await writer.rawDelta(oid, baseOid, header.size, compressed, options.ofs);
      stats.reused++;
      stats.reusedDeltas++;
    } else {
      const object = await pack.readEntry(index, (b) => sources.read(b));
      await writer.whole(oid, object.type, object.data);
    }
  }
  // The rest, read a few at a time ahead of the writer.
  const ahead = 16;
  const reads = new Map<number, Promise<PackObject | null>>();
  for (let i = 0; i < other.length; i++) {
    for (let k = i; k < Math.min(other.length, i + ahead); k++) if (!reads.has(k)) reads.set(k, sources.read(other[k]!.oid));
    const object = await reads.get(i)!;
    reads.delete(i);
    if (!object) throw new AppError('not_found', `The object ${other[i]!.oid} is missing from the repository.`);
    await writer.whole(other[i]!.oid, object.type, object.data);
  }
  await writer.finish();
  stats.bytes = writer.size;
  return stats;
}
