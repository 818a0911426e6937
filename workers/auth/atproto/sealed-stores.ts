/**
 * The ATProto OAuth client's `stateStore` and `sessionStore`, in sqld. Values
 * hold DPoP private keys and tokens, so each is sealed with AES-GCM under a
 * key derived from DATA_KEY; the row key is bound in as associated data, so a
 * sealed value moved to another row does not open.
 */
import { eq, lt } from 'drizzle-orm';
import { JoseKey } from '@atproto/jwk-jose';
import type { InternalStateData, Key, Session, SessionStore, StateStore } from '@atproto/oauth-client';
import { atprotoOauthSessions, atprotoOauthStates } from '../../../db/schema.ts';
import type { Db } from '../../lib/db.ts';
import { seal, unseal } from '../../lib/sealing.ts';

/** An authorization request in flight lives this long (the PDS's own limit is shorter). */
export const STATE_TTL_MS = 15 * 60_000;

/** Keys travel as private JWKs and come back as JoseKeys (the client needs the class). */
type Stored<T extends { dpopKey: Key }> = Omit<T, 'dpopKey'> & { dpopJwk: unknown };

function toStored<T extends { dpopKey: Key }>(value: T): Stored<T> {
  const { dpopKey, ...rest } = value;
  const dpopJwk = dpopKey.privateJwk;
  if (!dpopJwk) throw new Error('a DPoP key without its private part cannot be stored');
  return { ...rest, dpopJwk };
}

async function fromStored<T extends { dpopKey: Key }>(stored: Stored<T>): Promise<T> {
  const { dpopJwk, ...rest } = stored;
  return { ...rest, dpopKey: await JoseKey.fromJWK(dpopJwk as Record<string, unknown>) } as unknown as T;
}

export function sealedStateStore(db: Db, key: CryptoKey, now: () => number = Date.now): StateStore {
  return {
    async set(id, value) {
      const sealed = await seal(key, `state:${id}`, toStored(value));
      const t = now();
      await db.batch([
        db.insert(atprotoOauthStates).values({ key: id, value: sealed, expiresAt: t + STATE_TTL_MS }).onConflictDoUpdate({ target: atprotoOauthStates.key, set: { value: sealed, expiresAt: t + STATE_TTL_MS } }),
        db.delete(atprotoOauthStates).where(lt(atprotoOauthStates.expiresAt, t)),
      ]);
    },
    async get(id) {
      const [row] = await db.select().from(atprotoOauthStates).where(eq(atprotoOauthStates.key, id));
      if (!row || row.expiresAt < now()) return undefined;
      const stored = await unseal<Stored<InternalStateData>>(key, `state:${id}`, row.value);
      return stored && fromStored(stored);
    },
    async del(id) {
      await db.delete(atprotoOauthStates).where(eq(atprotoOauthStates.key, id));
    },
  };
}

export function sealedSessionStore(db: Db, key: CryptoKey, now: () => number = Date.now): SessionStore {
  return {
    async set(did, value) {
      const sealed = await seal(key, `session:${did}`, toStored(value));
      await db.insert(atprotoOauthSessions).values({ did, value: sealed, updatedAt: now() }).onConflictDoUpdate({ target: atprotoOauthSessions.did, set: { value: sealed, updatedAt: now() } });
    },
    async get(did) {
      const [row] = await db.select().from(atprotoOauthSessions).where(eq(atprotoOauthSessions.did, did));
      if (!row) return undefined;
      const stored = await unseal<Stored<Session>>(key, `session:${did}`, row.value);
      return stored && fromStored(stored);
    },
    async del(did) {
      await db.delete(atprotoOauthSessions).where(eq(atprotoOauthSessions.did, did));
    },
  };
}
