/**
 * Deleting a person's account. Every wiki they own is first either deleted or
 * handed to one of its admins, as they chose: a wiki is never left without an
 * owner. Everything else of theirs (memberships, sessions, tokens, pending
 * sign-ins, the stored ATProto session) goes in the same atomic batch; the
 * audit log keeps its entries.
 */
import { eq, inArray } from 'drizzle-orm';
import { atprotoOauthSessions, users, wikis } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import { auditInsert, type Actor } from './audit.ts';
import { isForeignKeyFailure, isGuardFailure } from './guard.ts';
import { getRole } from './members.ts';
import { handoverStatements } from './ownership.ts';
import type { Wiki } from './wikis.ts';

/** What happens to one owned wiki: deleted, or handed to one of its admins. */
export type OwnedWikiFate = { action: 'delete' } | { action: 'transfer'; toDid: string };

export interface DeletedAccount {
  /** Wikis deleted with the account: their repositories are to be removed from disk. */
  deletedWikis: Wiki[];
  transferred: { wiki: Wiki; toDid: string }[];
}

/** The wikis `did` owns, by slug. */
export async function ownedWikis(db: Db, did: string): Promise<Wiki[]> {
  return db.select().from(wikis).where(eq(wikis.ownerDid, did)).orderBy(wikis.slug);
}

/**
 * Deletes the account of `did`. `fates` says, by wiki id, what happens to each
 * wiki they own; every owned wiki must be named, and a transfer must go to a
 * current admin of that wiki.
 */
export async function deleteAccount(db: Db, did: string, fates: ReadonlyMap<string, OwnedWikiFate>, actor: Actor): Promise<DeletedAccount> {
  const [user] = await db.select().from(users).where(eq(users.did, did));
  if (!user) throw new AppError('not_found', `no user with DID ${did}`);
  const owned = await ownedWikis(db, did);
  const result: DeletedAccount = { deletedWikis: [], transferred: [] };
  const statements = [];
  for (const wiki of owned) {
    const fate = fates.get(wiki.id);
    if (!fate) throw new AppError('invalid', `Say what happens to the wiki "${wiki.slug}": delete it, or hand it to one of its admins.`);
    if (fate.action === 'delete') {
      result.deletedWikis.push(wiki);
    } else {
      if (fate.toDid === did || (await getRole(db, wiki.id, fate.toDid)) !== 'admin') {
        throw new AppError('invalid', `"${wiki.slug}" can only be handed to one of its admins.`);
      }
      result.transferred.push({ wiki, toDid: fate.toDid });
      statements.push(...handoverStatements(db, wiki, did, fate.toDid, actor, false));
    }
  }
  const deletedIds = result.deletedWikis.map((w) => w.id);
  try {
    await db.batch([
      auditInsert(db, actor, {
        action: 'user.delete',
        target: did,
        detail: { handle: user.handle, deleted: result.deletedWikis.map((w) => w.slug), transferred: result.transferred.map((t) => ({ wiki: t.wiki.slug, to: t.toDid })) },
      }),
      ...statements,
      ...(deletedIds.length ? [db.delete(wikis).where(inArray(wikis.id, deletedIds))] : []),
      ...result.deletedWikis.map((w) => auditInsert(db, actor, { action: 'wiki.delete', wikiId: w.id, target: w.slug })),
      db.delete(atprotoOauthSessions).where(eq(atprotoOauthSessions.did, did)),
      // Memberships, sessions, tokens and sign-in handovers cascade. A wiki the
      // person still owns (made since the list above was read) stops this with
      // its foreign key: nothing is orphaned.
      db.delete(users).where(eq(users.did, did)),
    ]);
  } catch (err) {
    if (isGuardFailure(err) || isForeignKeyFailure(err)) {
      throw new AppError('conflict', 'Your wikis changed while the account was being deleted (a new wiki, or an admin who left). Reload and choose again.');
    }
    throw err;
  }
  return result;
}
