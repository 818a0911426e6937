/** People: created at sign-in (or by the admin CLI), identified by DID. */
import { asc, eq } from 'drizzle-orm';
import { users } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import { didSchema, handleSchema } from '../identity.ts';
import { parseOrThrow } from '../validate.ts';
import { auditInsert, type Actor } from './audit.ts';

export type User = typeof users.$inferSelect;

export interface UpsertUserInput {
  did: string;
  handle: string;
  displayName?: string | null;
  isPlatformAdmin?: boolean;
}

/** Creates the user or refreshes their handle and name; returns the stored row. */
export async function upsertUser(db: Db, input: UpsertUserInput, actor: Actor): Promise<User> {
  const did = parseOrThrow(didSchema, input.did, 'DID');
  const handle = parseOrThrow(handleSchema, input.handle, 'handle');
  const now = Date.now();
  const set: Partial<typeof users.$inferInsert> = { handle, updatedAt: now };
  if (input.displayName !== undefined) set.displayName = input.displayName;
  if (input.isPlatformAdmin !== undefined) set.isPlatformAdmin = input.isPlatformAdmin;
  const [rows] = await db.batch([
    db
      .insert(users)
      .values({ did, handle, displayName: input.displayName ?? null, isPlatformAdmin: input.isPlatformAdmin ?? false, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: users.did, set })
      .returning(),
    auditInsert(db, actor, { action: 'user.upsert', target: did, detail: { handle } }),
  ]);
  const user = rows[0];
  if (!user) throw new Error(`upsert of user ${did} returned no row`);
  return user;
}

/** Finds a user by DID, or by handle when the argument is not a DID. */
export async function findUser(db: Db, didOrHandle: string): Promise<User> {
  if (didOrHandle.startsWith('did:')) {
    const [user] = await db.select().from(users).where(eq(users.did, didOrHandle));
    if (!user) throw new AppError('not_found', `no user with DID ${didOrHandle}`);
    return user;
  }
  const handle = parseOrThrow(handleSchema, didOrHandle, 'handle');
  const found = await db.select().from(users).where(eq(users.handle, handle));
  if (found.length === 0) throw new AppError('not_found', `no user with handle ${handle}`);
  if (found.length > 1) throw new AppError('conflict', `several users have the handle ${handle}; use a DID`);
  return found[0]!;
}

export async function listUsers(db: Db): Promise<User[]> {
  return db.select().from(users).orderBy(asc(users.handle));
}
