/** Audit entries, written in the same batch as the change they describe. */
import { sql, type SQL } from 'drizzle-orm';
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

function row(actor: Actor, fields: AuditFields) {
  return {
    at: Date.now(),
    actorDid: actor.did ?? null,
    actorKind: actor.kind,
    action: fields.action,
    wikiId: fields.wikiId ?? null,
    target: fields.target ?? null,
    detail: fields.detail ? JSON.stringify(fields.detail) : null,
    requestId: actor.requestId ?? null,
  };
}

/** An insert to include in the write's `db.batch`. */
export function auditInsert(db: Db, actor: Actor, fields: AuditFields) {
  return db.insert(auditLog).values(row(actor, fields));
}

/** Like auditInsert, but written only if `condition` holds when the batch runs (a conditional write before it took effect). */
export function auditInsertIf(db: Db, actor: Actor, fields: AuditFields, condition: SQL) {
  const r = row(actor, fields);
  return db.run(sql`
    insert into ${auditLog} (at, actor_did, actor_kind, action, wiki_id, target, detail, request_id)
    select ${r.at}, ${r.actorDid}, ${r.actorKind}, ${r.action}, ${r.wikiId}, ${r.target}, ${r.detail}, ${r.requestId}
    where ${condition}`);
}
