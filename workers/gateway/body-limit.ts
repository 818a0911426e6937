/** Request body size limits, checked before a worker sees the body. */
import { AppError } from '../lib/errors.ts';

function tooLarge(limit: number): AppError {
  return new AppError('too_large', `The request body is larger than ${limit} bytes.`, { limit });
}

/**
 * Returns the body to forward. A declared Content-Length over the limit is
 * refused at once; a body without one is counted as it streams and cut off
 * with an error once it passes the limit.
 */
export async function limitBody(request: Request, limit: number): Promise<ReadableStream<Uint8Array> | null> {
  if (!request.body) return null;
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    const n = Number(declared);
    if (!Number.isSafeInteger(n) || n < 0) throw new AppError('invalid', 'Malformed Content-Length.');
    if (n > limit) throw tooLarge(limit);
    return request.body;
  }
  let seen = 0;
  return request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
}
