/** Shapes of ATProto identifiers accepted at every boundary. */
import { z } from 'zod';

/** did:plc:… or did:web:…, as ATProto uses them. */
export const didSchema = z
  .string()
  .regex(/^did:(plc:[a-z2-7]{24}|web:[a-zA-Z0-9.%:-]{1,253})$/, 'expected a DID such as did:plc:abcdefghijklmnopqrstuvwx');

/** An ATProto handle: a domain name of at least two labels. */
export const handleSchema = z
  .string()
  .transform((s) => s.trim().replace(/^@/, '').toLowerCase())
  .pipe(
    z
      .string()
      .max(253)
      .regex(
        /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
        'expected a handle such as alice.bsky.social',
      ),
  );
