/**
 * The answer shape of every JS-RPC method between workers. Fields of thrown
 * errors do not survive RPC, so expected failures come back as values with
 * the REST API's stable code and status.
 */
import { isDbUnavailable } from './db.ts';
import { AppError } from './errors.ts';

export interface RpcError {
  /** The REST API's stable error code (`not_found`, `conflict`, …). */
  code: string;
  /** The HTTP status the REST API answers with. */
  status: number;
  message: string;
  details?: Record<string, unknown>;
}

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: RpcError };

/** Runs `work`, turning AppErrors and an unreachable store into `{ ok: false }`; anything else throws. */
export async function rpcAnswer<T>(work: () => Promise<T>): Promise<RpcResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: { code: err.code, status: err.status, message: err.message, ...(err.details ? { details: err.details } : {}) } };
    if (isDbUnavailable(err)) return { ok: false, error: { code: 'unavailable', status: 503, message: 'The database is unavailable right now. Try again in a few seconds.' } };
    throw err;
  }
}

/** The value of a result, or its error rethrown as an AppError (for callers that answer HTTP). */
export function unwrapRpc<T>(result: RpcResult<T>): T {
  if (result.ok) return result.value;
  const { code, message, details } = result.error;
  throw new AppError(code as ConstructorParameters<typeof AppError>[0], message, details);
}
