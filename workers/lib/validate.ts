/** Boundary validation: zod schemas whose failures become `invalid` AppErrors. */
import type { z } from 'zod';
import { AppError } from './errors.ts';

/** Parses `value` or throws an `invalid` AppError naming `what` and the first problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('invalid', `invalid ${what}: ${r.error.issues[0]?.message ?? 'malformed'}`);
  return r.data;
}
