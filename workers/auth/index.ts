/**
 * auth worker: ATProto sign-in (loopback client locally, confidential web
 * client on https), platform sessions (cookie, sign out, sign out everywhere),
 * the client metadata and JWKS an authorization server fetches, and the
 * session RPC other workers call.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import type { Context } from 'hono';
import { clientAddress } from '../lib/client-address.ts';
import { AppError } from '../lib/errors.ts';
import { enforceRate, RATE_RULES } from '../lib/limits/rate-limit.ts';
import { rpcAnswer, type RpcResult } from '../lib/rpc-result.ts';
import { createWorkerApp } from '../lib/worker/app.ts';
import { dbFor } from '../lib/worker/db.ts';
import type { BaseEnv } from '../lib/worker/env.ts';
import { dbCheck, healthReport, healthResponse, runCheck, type HealthReport, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';
import { createAtprotoClient, type AtprotoEnv } from './atproto/client.ts';
import { clientMetadata } from './atproto/client-metadata.ts';
import { oauthSignInClient } from './atproto/sign-in-client.ts';
import { clearSessionCookie, sessionCookie, setSessionCookie, setSignInCookie, takeSignInCookie } from './cookies.ts';
import { publicJwks, sessionKid, sessionSigningKey } from './keys.ts';
import { resolveIdentity, type ResolvedIdentity } from './resolve-identity.ts';
import { signOut, signOutEverywhere } from './sign-out.ts';
import { finishSignIn, redeemHandover, startSignIn, type SignInDeps } from './sign-in.ts';
import { verifySession, type VerifiedSession } from './sessions.ts';

export interface Env extends BaseEnv, AtprotoEnv {
  SQLD: Fetcher;
  /** RS256 private JWK that signs platform session JWTs. */
  SESSION_JWK: string;
  /** ES256 private JWK of the ATProto OAuth client (private_key_jwt). */
  ATP_CLIENT_JWK: string;
  /** 32 random bytes, base64: encrypts ATProto DPoP keys and tokens at rest. */
  DATA_KEY: string;
}

type C = Context<{ Bindings: Env }>;

function health(env: Env): Promise<HealthReport> {
  return healthReport('auth', {
    sqld: dbCheck(dbFor(env)),
    keys: runCheck(() => Promise.all([publicJwks(env), sessionSigningKey(env)])),
  });
}

async function signInDeps(env: Env): Promise<SignInDeps> {
  const db = dbFor(env);
  return { db, client: oauthSignInClient(await createAtprotoClient(env, db)), publicOrigin: env.PUBLIC_ORIGIN, apex: env.APEX };
}

/** Back to the sign-in page with a message, keeping what the person typed. */
function backToSignIn(env: Env, message: string, fields: { handle?: string; returnTo?: string | null } = {}): Response {
  const url = new URL('/sign-in', env.PUBLIC_ORIGIN);
  url.searchParams.set('error', message);
  if (fields.handle) url.searchParams.set('handle', fields.handle.slice(0, 300));
  if (fields.returnTo) url.searchParams.set('return_to', fields.returnTo.slice(0, 2000));
  // Not Response.redirect(): its headers are immutable, and middleware adds some.
  return new Response(null, { status: 303, headers: { location: url.href } });
}

/** Only the apex's own pages may post here (sibling wiki hosts are same-site, so SameSite is not enough). */
function requireApexOrigin(c: C): void {
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  const ours = new URL(c.env.PUBLIC_ORIGIN).origin;
  if ((site && site !== 'same-origin') || (origin ? origin !== ours : site !== 'same-origin')) {
    throw new AppError('forbidden', 'This form was sent from another site. Go back and try again.');
  }
}

const app = createWorkerApp<{ Bindings: Env }>('auth');
app.get(WORKER_HEALTH_PATH, async (c) => healthResponse(await health(c.env)));
app.get('/.well-known/jwks.json', async (c) => c.json(await publicJwks(c.env), 200, { 'cache-control': 'public, max-age=300' }));
app.get('/auth/client-metadata.json', (c) => c.json(clientMetadata(c.env.PUBLIC_ORIGIN), 200, { 'cache-control': 'public, max-age=300' }));

app.get('/auth/login', (c) => {
  const url = new URL('/sign-in', c.env.PUBLIC_ORIGIN);
  for (const name of ['handle', 'return_to']) {
    const value = c.req.query(name);
    if (value) url.searchParams.set(name, value);
  }
  return c.redirect(url.href, 303);
});

app.post('/auth/login', async (c) => {
  requireApexOrigin(c);
  const form = await c.req.parseBody();
  const handle = typeof form.handle === 'string' ? form.handle : '';
  const returnTo = typeof form.return_to === 'string' ? form.return_to : null;
  try {
    const deps = await signInDeps(c.env);
    await enforceRate(deps.db, RATE_RULES.signInPerIp, `ip:${clientAddress(c.req.raw) ?? 'local'}`);
    const { redirect, nonce } = await startSignIn(deps, handle, returnTo);
    setSignInCookie(c, c.env, nonce);
    return c.redirect(redirect.href, 303);
  } catch (err) {
    if (err instanceof AppError && err.code === 'rate_limited') throw err;
    if (err instanceof AppError) return backToSignIn(c.env, err.message, { handle, returnTo });
    throw err;
  }
});

app.get('/auth/callback', async (c) => {
  try {
    const next = await finishSignIn(await signInDeps(c.env), new URL(c.req.url).searchParams);
    return c.redirect(next.href, 303);
  } catch (err) {
    if (err instanceof AppError) return backToSignIn(c.env, err.message);
    throw err;
  }
});

app.get('/auth/handover', async (c) => {
  const nonce = takeSignInCookie(c, c.env);
  try {
    const db = dbFor(c.env);
    const deps = { db, client: undefined as never, publicOrigin: c.env.PUBLIC_ORIGIN, apex: c.env.APEX, sessionKey: await sessionSigningKey(c.env), sessionKid: sessionKid(c.env) };
    const session = await redeemHandover(deps, c.req.query('code') ?? '', nonce, c.req.header('user-agent'));
    setSessionCookie(c, c.env, session.token, session.expiresAt);
    return c.redirect(session.returnTo, 303);
  } catch (err) {
    if (err instanceof AppError) {
      const response = backToSignIn(c.env, err.message);
      // Keep the cleared sign-in cookie on the redirect.
      for (const cookie of c.res.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
      return response;
    }
    throw err;
  }
});

for (const [path, action] of [['/auth/logout', signOut], ['/auth/logout-all', signOutEverywhere]] as const) {
  app.post(path, async (c) => {
    requireApexOrigin(c);
    const form = await c.req.parseBody();
    const token = sessionCookie(c);
    const db = dbFor(c.env);
    const session = token ? await verifySession(c.env, db, token) : null;
    if (session) await action(db, session, typeof form._csrf === 'string' ? form._csrf : '');
    clearSessionCookie(c, c.env);
    return c.redirect(new URL('/', c.env.PUBLIC_ORIGIN).href, 303);
  });
}

export default app;
export type { ResolvedIdentity };

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
      const db = dbFor(this.env);
      const client = await createAtprotoClient(this.env, db);
      return resolveIdentity(db, (input) => client.identityResolver.resolve(input), handleOrDid);
    });
  }
}
