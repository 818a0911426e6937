/** Signing out: this session, or every session of the person. Both need the session's CSRF token. */
import { and, eq, isNull } from 'drizzle-orm';
import { sessions } from '../../db/schema.ts';
import type { Db } from '../lib/db.ts';
import { auditInsert } from '../lib/directory/audit.ts';
import { revokeSession } from '../lib/directory/sessions.ts';
import { AppError } from '../lib/errors.ts';
import type { VerifiedSession } from './sessions.ts';

function requireCsrf(session: VerifiedSession, submitted: string): void {
  if (submitted.length !== session.csrf.length || submitted !== session.csrf) {
    throw new AppError('forbidden', 'The form expired or was not sent by this site. Reload the page and try again.');
  }
}

export async function signOut(db: Db, session: VerifiedSession, csrf: string): Promise<void> {
  requireCsrf(session, csrf);
  await revokeSession(db, session.sessionId, { kind: 'user', did: session.did });
}

export async function signOutEverywhere(db: Db, session: VerifiedSession, csrf: string): Promise<void> {
  requireCsrf(session, csrf);
  await db.batch([
    db.update(sessions).set({ revokedAt: Date.now() }).where(and(eq(sessions.userDid, session.did), isNull(sessions.revokedAt))),
    auditInsert(db, { kind: 'user', did: session.did }, { action: 'session.revoke_all', target: session.did }),
  ]);
}
