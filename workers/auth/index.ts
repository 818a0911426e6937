/**
 * auth worker: ATProto sign-in and platform sessions (built out by the sign-in
 * issue). Now: its health, the public JWKS of the ATProto client key, and the
 * session RPC surface other workers bind to.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { createWorkerApp } from '../lib/worker/app.ts';
import { dbFor } from '../lib/worker/db.ts';
import type { BaseEnv } from '../lib/worker/env.ts';
import { dbCheck, healthReport, healthResponse, runCheck, type HealthReport, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';
import { publicJwks, sessionSigningKey } from './keys.ts';
import { findUser } from '../lib/directory/users.ts';
import { rpcAnswer, type RpcResult } from '../lib/rpc-result.ts';
import { verifySession, type VerifiedSession } from './sessions.ts';

/** A person found by handle or DID, as other workers see them. */
export interface ResolvedIdentity {
  did: string;
  handle: string;
  displayName: string | null;
}

export interface Env extends BaseEnv {
  SQLD: Fetcher;
  /** RS256 private JWK that signs platform session JWTs. */
  SESSION_JWK: string;
  /** ES256 private JWK of the ATProto OAuth client (private_key_jwt). */
  ATP_CLIENT_JWK: string;
  /** 32 random bytes, base64: encrypts ATProto DPoP keys and tokens at rest. */
  DATA_KEY: string;
}

function health(env: Env): Promise<HealthReport> {
  return healthReport('auth', {
    sqld: dbCheck(dbFor(env)),
    keys: runCheck(() => Promise.all([publicJwks(env), sessionSigningKey(env)])),
  });
}

const app = createWorkerApp<{ Bindings: Env }>('auth');
app.get(WORKER_HEALTH_PATH, async (c) => healthResponse(await health(c.env)));
app.get('/.well-known/jwks.json', async (c) =>
  c.json(await publicJwks(c.env), 200, { 'cache-control': 'public, max-age=300' }),
);

export default app;

/** JS-RPC entrypoint for other workers (`service = (name = "auth", entrypoint = "AuthRpc")`). */
export class AuthRpc extends WorkerEntrypoint<Env> {
  health(): Promise<HealthReport> {
    return health(this.env);
  }

  /** The signed-in user behind a session token (the `wf_session` cookie), or null. */
  verifySession(token: string): Promise<VerifiedSession | null> {
    return verifySession(this.env, dbFor(this.env), token);
  }

  /**
   * The person behind a handle or DID, with a user row created or refreshed,
   * for adding collaborators. `not_found` when nobody has that handle.
   */
  resolveIdentity(handleOrDid: string): Promise<RpcResult<ResolvedIdentity>> {
    return rpcAnswer(async () => {
      const user = await findUser(dbFor(this.env), handleOrDid);
      return { did: user.did, handle: user.handle, displayName: user.displayName };
    });
  }
}
