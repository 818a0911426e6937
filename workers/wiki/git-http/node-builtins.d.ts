/**
 * The two Node built-ins the git protocol code uses, as workerd provides them
 * (nodejs_compat): zlib for object and pack compression, crypto for an
 * incremental SHA-1. Only what is used is declared; Node's own types cover the
 * same modules when tests run under Node.
 */
declare module 'node:zlib' {
  interface ZlibOptions {
    level?: number;
    info?: boolean;
    maxOutputLength?: number;
  }
  export function deflateSync(data: Uint8Array, options?: ZlibOptions): Uint8Array;
  export function inflateSync(data: Uint8Array, options?: ZlibOptions & { info?: false }): Uint8Array;
  export function inflateSync(data: Uint8Array, options: ZlibOptions & { info: true }): { buffer: Uint8Array; engine: { bytesWritten: number } };
  export function gunzipSync(data: Uint8Array, options?: ZlibOptions): Uint8Array;
}

declare module 'node:crypto' {
  interface Hash {
    update(data: Uint8Array | string): Hash;
    digest(): Uint8Array;
    digest(encoding: 'hex'): string;
  }
  export function createHash(algorithm: 'sha1'): Hash;
}
