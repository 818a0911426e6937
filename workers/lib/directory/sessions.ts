/**
 * Platform sign-in sessions. The session JWT only carries the session id and
 * the user's DID; the row here is checked on every request, so signing out,
 * "sign out everywhere" and account deletion take effect at once.
 */
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { sessions } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId } from '../tokens.ts';
import { auditInsert, auditInsertIf, type Actor } from './audit.ts';

export const SESSION_COOKIE = 'wf_session';
export const SESSION_TTL_MS = 30 * 86_400_000;
/** `aud` of session JWTs, so no other token signed with the key passes as one. */
export const SESSION_AUDIENCE = 'wikifarm-session';
/** How stale `last_seen_at` may get before a request writes it again. */
const SEEN_RESOLUTION_MS = 5 * 60_000;

export async function createSession(db: Db, userDid: string, options: { ttlMs?: number; userAgent?: string }, actor: Actor): Promise<{ id: string; expiresAt: number }> {
  const now = Date.now();
  const id = newId('ses', 24);
  const expiresAt = now + (options.ttlMs ?? SESSION_TTL_MS);
  await db.batch([
    db.insert(sessions).values({ id, userDid, createdAt: now, expiresAt, lastSeenAt: now, userAgent: options.userAgent?.slice(0, 300) ?? null }),
    auditInsert(db, actor, { action: 'session.create', target: userDid }),
  ]);
  return { id, expiresAt };
}

/** The session if it exists, is not revoked and has not expired; records the use now and then. */
export async function activeSession(db: Db, id: string, userDid: string): Promise<{ id: string; expiresAt: number } | null> {
  const now = Date.now();
  const [row] = await db
    .select({ id: sessions.id, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.userDid, userDid), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  if (!row) return null;
  if ((row.lastSeenAt ?? 0) < now - SEEN_RESOLUTION_MS) await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  return { id: row.id, expiresAt: row.expiresAt };
}

export async function revokeSession(db: Db, id: string, actor: Actor): Promise<void> {
  await db.batch([db.update(sessions).set({ revokedAt: Date.now() }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt))), auditInsert(db, actor, { action: 'session.revoke', target: id })]);
}

/** A session as its owner sees it in their list. */
export interface SessionView {
  id: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number | null;
  userAgent: string | null;
}

/** The person's sessions that are neither revoked nor expired, most recently used first. */
export async function listActiveSessions(db: Db, userDid: string): Promise<SessionView[]> {
  return db
    .select({ id: sessions.id, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.userDid, userDid), isNull(sessions.revokedAt), gt(sessions.expiresAt, Date.now())))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
}

/** Revokes one of the person's own active sessions; `not_found` for anyone else's, or one already ended. */
export async function revokeOwnSession(db: Db, userDid: string, id: string, actor: Actor): Promise<void> {
  const [revoked] = await db.batch([
    db.update(sessions).set({ revokedAt: Date.now() }).where(and(eq(sessions.id, id), eq(sessions.userDid, userDid), isNull(sessions.revokedAt), gt(sessions.expiresAt, Date.now()))),
    // Audited only when the update above revoked something (changes() counts the previous statement's rows).
    auditInsertIf(db, actor, { action: 'session.revoke', target: id }, sql`changes() = 1`),
  ]);
  if (revoked.rowsAffected !== 1) throw new AppError('not_found', 'There is no such active session of yours.');
}
