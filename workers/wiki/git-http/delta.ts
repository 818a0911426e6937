/**
 * git's binary delta format (gitformat-pack(5), "Deltified representation"):
 * source size, target size, then copy and insert instructions. Pure.
 */
import { MAX_OBJECT_BYTES } from '../git/objects.ts';


function readVarint(delta: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = delta[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** The target size a delta declares (to check a blob's size without applying it). */
export function deltaTargetSize(delta: Uint8Array): number {
  const [, at] = readVarint(delta, 0);
  return readVarint(delta, at)[0];
}

/** Applies `delta` to `base`; throws if the delta does not fit the base. */
/** `base` changed by `delta`; refused if the result would be larger than `maxBytes`. */
export function applyDelta(base: Uint8Array, delta: Uint8Array, maxBytes = MAX_OBJECT_BYTES): Uint8Array {
  let [sourceSize, at] = readVarint(delta, 0);
  if (sourceSize !== base.byteLength) throw new Error(`delta expects a base of ${sourceSize} bytes, got ${base.byteLength}`);
  let targetSize: number;
  [targetSize, at] = readVarint(delta, at);
  if (targetSize > maxBytes) throw new Error(`delta target of ${targetSize} bytes is larger than the ${maxBytes} allowed`);
  const out = new Uint8Array(targetSize);
  let written = 0;
  while (at < delta.byteLength) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      if (op & 0x01) offset |= delta[at++]!;
      if (op & 0x02) offset |= delta[at++]! << 8;
      if (op & 0x04) offset |= delta[at++]! << 16;
      if (op & 0x08) offset += delta[at++]! * 0x1000000;
      if (op & 0x10) size |= delta[at++]!;
      if (op & 0x20) size |= delta[at++]! << 8;
      if (op & 0x40) size |= delta[at++]! << 16;
      if (size === 0) size = 0x10000;
      if (offset + size > base.byteLength || written + size > targetSize) throw new Error('delta copies past the end');
      out.set(base.subarray(offset, offset + size), written);
      written += size;
    } else if (op !== 0) {
      if (at + op > delta.byteLength || written + op > targetSize) throw new Error('delta inserts past the end');
      out.set(delta.subarray(at, at + op), written);
      written += op;
      at += op;
    } else {
      throw new Error('delta has a reserved instruction');
    }
  }
  if (written !== targetSize) throw new Error('delta is shorter than its target');
  return out;
}
