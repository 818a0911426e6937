/** Audit entries, written in the same batch as the change they describe. */
import { auditLog } from '../../../db/schema.ts';
import type { Db } from '../db.ts';

/** Who is acting: a signed-in person, a program with a token, the admin CLI, or the system. */
export interface Actor {
  kind: 'user' | 'token' | 'cli' | 'system';
  did?: string;
  requestId?: string;
}

export interface AuditFields {
  action: string;
  wikiId?: string;
  target?: string;
  detail?: Record<string, unknown>;
}

/** An insert to include in the write's `db.batch`. */
export function auditInsert(db: Db, actor: Actor, fields: AuditFields) {
  return db.insert(auditLog).values({
    at: Date.now(),
    actorDid: actor.did ?? null,
    actorKind: actor.kind,
    action: fields.action,
    wikiId: fields.wikiId ?? null,
    target: fields.target ?? null,
    detail: fields.detail ? JSON.stringify(fields.detail) : null,
    requestId: actor.requestId ?? null,
  });
}
