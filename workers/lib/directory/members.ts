/** Membership: who may read, edit or administer a wiki. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { members, oauthGrants, personalAccessTokens, users, type Role } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import { auditInsert, type Actor } from './audit.ts';
import type { Wiki } from './wikis.ts';

export interface MemberView {
  did: string;
  handle: string;
  displayName: string | null;
  role: Role;
  addedAt: number;
}

/** Adds a member or changes their role. The wiki's owner stays an owner. */
export async function setMember(db: Db, wiki: Wiki, userDid: string, role: Role, actor: Actor): Promise<void> {
  if (userDid === wiki.ownerDid && role !== 'owner') {
    throw new AppError('conflict', 'the wiki owner keeps the owner role; hand the wiki to someone else first');
  }
  try {
    await db.batch([
      db
        .insert(members)
        .values({ wikiId: wiki.id, userDid, role, addedBy: actor.did ?? null, createdAt: Date.now() })
        .onConflictDoUpdate({ target: [members.wikiId, members.userDid], set: { role } }),
      auditInsert(db, actor, { action: 'member.set', wikiId: wiki.id, target: userDid, detail: { role } }),
    ]);
  } catch (err) {
    if (/FOREIGN KEY constraint failed/.test(String((err as { cause?: unknown }).cause ?? err))) {
      throw new AppError('not_found', `no user with DID ${userDid}`);
    }
    throw err;
  }
}

/** Removes a member and revokes the personal access tokens and OAuth grants they hold for this wiki (so re-adding them later revives nothing). */
export async function removeMember(db: Db, wiki: Wiki, userDid: string, actor: Actor): Promise<void> {
  if (userDid === wiki.ownerDid) {
    throw new AppError('conflict', 'the wiki owner cannot be removed; hand the wiki to someone else first');
  }
  if (!(await getRole(db, wiki.id, userDid))) throw new AppError('not_found', `${userDid} is not a member of ${wiki.slug}`);
  const now = Date.now();
  await db.batch([
    db.delete(members).where(and(eq(members.wikiId, wiki.id), eq(members.userDid, userDid))),
    db
      .update(personalAccessTokens)
      .set({ revokedAt: now })
      .where(and(eq(personalAccessTokens.wikiId, wiki.id), eq(personalAccessTokens.userDid, userDid), isNull(personalAccessTokens.revokedAt))),
    db.update(oauthGrants).set({ revokedAt: now }).where(and(eq(oauthGrants.wikiId, wiki.id), eq(oauthGrants.userDid, userDid), isNull(oauthGrants.revokedAt))),
    auditInsert(db, actor, { action: 'member.remove', wikiId: wiki.id, target: userDid }),
  ]);
}

export async function getRole(db: Db, wikiId: string, userDid: string): Promise<Role | null> {
  const [row] = await db
    .select({ role: members.role })
    .from(members)
    .where(and(eq(members.wikiId, wikiId), eq(members.userDid, userDid)));
  return row?.role ?? null;
}

export async function listMembers(db: Db, wikiId: string): Promise<MemberView[]> {
  return db
    .select({ did: users.did, handle: users.handle, displayName: users.displayName, role: members.role, addedAt: members.createdAt })
    .from(members)
    .innerJoin(users, eq(users.did, members.userDid))
    .where(eq(members.wikiId, wikiId))
    .orderBy(asc(users.handle));
}
