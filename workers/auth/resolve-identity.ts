/**
 * Finds the person behind a handle or DID for adding collaborators: resolved
 * over the network (handle ↔ DID verified both ways by the ATProto identity
 * resolver), with a user row created or refreshed so membership can name
 * them. When the network cannot answer, people who already signed in here
 * are still found by their last verified handle.
 */
import type { Db } from '../lib/db.ts';
import { findUser, upsertUser } from '../lib/directory/users.ts';
import { AppError } from '../lib/errors.ts';
import { didSchema, handleSchema } from '../lib/identity.ts';

export interface ResolvedIdentity {
  did: string;
  handle: string;
  displayName: string | null;
}

export type IdentityLookup = (handleOrDid: string) => Promise<{ did: string; handle: string }>;

export async function resolveIdentity(db: Db, lookup: IdentityLookup, raw: string): Promise<ResolvedIdentity> {
  const text = raw.trim();
  const input = text.startsWith('did:') ? didSchema.safeParse(text) : handleSchema.safeParse(text);
  if (!input.success) throw new AppError('invalid', `"${text.slice(0, 80)}" is neither a handle (alice.bsky.social) nor a DID.`);
  let found: { did: string; handle: string } | null = null;
  try {
    found = await lookup(input.data);
  } catch {
    found = null;
  }
  if (found && found.handle !== 'handle.invalid') {
    const user = await upsertUser(db, { did: found.did, handle: found.handle }, { kind: 'system' });
    return { did: user.did, handle: user.handle, displayName: user.displayName };
  }
  try {
    const user = await findUser(db, input.data);
    return { did: user.did, handle: user.handle, displayName: user.displayName };
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') throw new AppError('not_found', `No account was found for ${input.data}. Check the handle.`);
    throw err;
  }
}
