/**
 * git's pkt-line framing (gitprotocol-common(5)): four hex digits of length
 * (including themselves) then the payload; `0000` is a flush, `0001` a
 * delimiter. Side-band wraps data in pkt-lines whose first byte names the
 * channel (1 data, 2 progress, 3 fatal error). Pure functions.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Largest pkt-line, its four length digits included (LARGE_PACKET_MAX). */
export const MAX_PKT = 65520;
/** Most data bytes in one side-band-64k packet (one byte goes to the channel). */
export const MAX_SIDEBAND_DATA = MAX_PKT - 5;

export const FLUSH = encoder.encode('0000');

/** One pkt-line holding `payload` (text is UTF-8). */
export function pkt(payload: string | Uint8Array): Uint8Array {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  if (body.byteLength + 4 > MAX_PKT) throw new Error(`pkt-line too long (${body.byteLength} bytes)`);
  const out = new Uint8Array(body.byteLength + 4);
  out.set(encoder.encode((body.byteLength + 4).toString(16).padStart(4, '0')));
  out.set(body, 4);
  return out;
}


/** `data` on side-band `channel`, split into as many packets as it needs. */
export function sideband(channel: 1 | 2 | 3, data: Uint8Array | string, max = MAX_SIDEBAND_DATA): Uint8Array[] {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength || (at === 0 && bytes.byteLength === 0); at += max) {
    const chunk = bytes.subarray(at, Math.min(at + max, bytes.byteLength));
    const payload = new Uint8Array(chunk.byteLength + 1);
    payload[0] = channel;
    payload.set(chunk, 1);
    out.push(pkt(payload));
    if (bytes.byteLength === 0) break;
  }
  return out;
}

export type Packet = { kind: 'data'; bytes: Uint8Array } | { kind: 'flush' } | { kind: 'delim' } | { kind: 'end' };

/** Thrown for malformed framing: the caller answers with a protocol error. */
export class ProtocolError extends Error {}

/** Reads pkt-lines from a buffer; `rest()` gives what follows (a pack after the commands). */
export class PktReader {
  readonly #bytes: Uint8Array;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get offset(): number {
    return this.#at;
  }

  /** The next packet; `end` when the buffer is used up. */
  next(): Packet {
    if (this.#at >= this.#bytes.byteLength) return { kind: 'end' };
    if (this.#at + 4 > this.#bytes.byteLength) throw new ProtocolError('truncated pkt-line length');
    const hex = decoder.decode(this.#bytes.subarray(this.#at, this.#at + 4));
    if (!/^[0-9a-f]{4}$/i.test(hex)) throw new ProtocolError(`bad pkt-line length ${JSON.stringify(hex)}`);
    const length = parseInt(hex, 16);
    if (length === 0) {
      this.#at += 4;
      return { kind: 'flush' };
    }
    if (length === 1) {
      this.#at += 4;
      return { kind: 'delim' };
    }
    if (length < 4 || this.#at + length > this.#bytes.byteLength) throw new ProtocolError('truncated pkt-line');
    const bytes = this.#bytes.subarray(this.#at + 4, this.#at + length);
    this.#at += length;
    return { kind: 'data', bytes };
  }

  /** The bytes after the last packet read. */
  rest(): Uint8Array {
    return this.#bytes.subarray(this.#at);
  }
}

/** A data packet as text, without its trailing newline. */
export function lineText(bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
