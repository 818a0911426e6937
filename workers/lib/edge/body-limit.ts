/** Request body size limits, checked before a worker sees the body. */
import { concat } from '../bytes.ts';
import { AppError } from '../errors.ts';

export function tooLarge(limit: number): AppError {
  return new AppError('too_large', `The request body is larger than ${limit} bytes.`, { limit });
}

/** Bodies up to this limit are read whole when their length is not declared, so an excess gets a clean 413. */
const BUFFER_UNDECLARED_UP_TO = 1024 * 1024;

export interface LimitedBody {
  body: ReadableStream<Uint8Array> | Uint8Array | null;
  /** True once a streamed body has passed the limit (the stream then errors). */
  exceeded(): boolean;
}

/**
 * The body to forward. A declared Content-Length over the limit is refused at
 * once. A body without one is read whole when the limit is small (413 if it
 * passes the limit); on routes with large limits (git packs, uploads) it is
 * counted as it streams and cut off once it passes the limit, and `exceeded()`
 * tells the caller to answer 413 whatever the worker made of the broken stream.
 */
export async function limitBody(request: Request, limit: number): Promise<LimitedBody> {
  const never = () => false;
  if (!request.body) return { body: null, exceeded: never };
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    const n = Number(declared);
    if (!/^\d+$/.test(declared) || !Number.isSafeInteger(n)) throw new AppError('invalid', 'Malformed Content-Length.');
    if (n > limit) throw tooLarge(limit);
    return { body: request.body, exceeded: never };
  }
  if (limit <= BUFFER_UNDECLARED_UP_TO) return { body: await readWithin(request.body, limit), exceeded: never };
  let seen = 0;
  let over = false;
  const body = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) {
          over = true;
          controller.error(tooLarge(limit));
        } else controller.enqueue(chunk);
      },
    }),
  );
  return { body, exceeded: () => over };
}

async function readWithin(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return concat(chunks);
}
