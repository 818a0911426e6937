/**
 * Handing a wiki to another person. Only the owner does it, and only to an
 * existing admin of the wiki: the new owner already manages it, so nobody is
 * handed a wiki they did not agree to run. The old owner stays an admin.
 */
import { and, eq, sql } from 'drizzle-orm';
import { members, wikis } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import { auditInsert, type Actor } from './audit.ts';
import { failUnless, isGuardFailure } from './guard.ts';
import { getRole } from './members.ts';
import type { Wiki } from './wikis.ts';

/**
 * The statements that move `wiki` from `fromDid` to `toDid` inside a batch,
 * guarded on `fromDid` still owning it and `toDid` still being an admin.
 * `keepOldOwner`: the old owner stays on as an admin (not when their account
 * is being deleted).
 */
export function handoverStatements(db: Db, wiki: Wiki, fromDid: string, toDid: string, actor: Actor, keepOldOwner = true) {
  const now = Date.now();
  return [
    failUnless(
      db,
      sql`(select ${wikis.ownerDid} from ${wikis} where ${wikis.id} = ${wiki.id}) = ${fromDid}
        and exists (select 1 from ${members} where ${members.wikiId} = ${wiki.id} and ${members.userDid} = ${toDid} and ${members.role} = 'admin')`,
    ),
    db.update(wikis).set({ ownerDid: toDid, updatedAt: now }).where(eq(wikis.id, wiki.id)),
    db.update(members).set({ role: 'owner' }).where(and(eq(members.wikiId, wiki.id), eq(members.userDid, toDid))),
    keepOldOwner
      ? db.update(members).set({ role: 'admin' }).where(and(eq(members.wikiId, wiki.id), eq(members.userDid, fromDid)))
      : db.delete(members).where(and(eq(members.wikiId, wiki.id), eq(members.userDid, fromDid))),
    auditInsert(db, actor, { action: 'wiki.transfer', wikiId: wiki.id, target: wiki.slug, detail: { from: fromDid, to: toDid } }),
  ] as const;
}

function notAnAdmin(wiki: Wiki): AppError {
  return new AppError('conflict', `Only an admin of "${wiki.slug}" can become its owner: make them an admin first.`);
}

/** Makes the admin `toDid` the owner of `wiki`; the old owner becomes an admin. */
export async function transferOwnership(db: Db, wiki: Wiki, toDid: string, actor: Actor): Promise<Wiki> {
  if (toDid === wiki.ownerDid) throw new AppError('conflict', 'They already own this wiki.');
  if ((await getRole(db, wiki.id, toDid)) !== 'admin') throw notAnAdmin(wiki);
  try {
    await db.batch(handoverStatements(db, wiki, wiki.ownerDid, toDid, actor));
  } catch (err) {
    if (isGuardFailure(err)) throw new AppError('conflict', `"${wiki.slug}" changed while it was being handed over (its owner or their role changed); reload and try again.`);
    throw err;
  }
  return { ...wiki, ownerDid: toDid };
}
