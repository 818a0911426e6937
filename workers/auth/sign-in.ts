/**
 * The sign-in rules, independent of HTTP and of the ATProto library (so unit
 * tests drive them with a fake client):
 *
 * 1. start: what the person typed (handle, DID or PDS URL) is checked and, for
 *    a handle or DID, resolved to the DID we expect back. The browser gets a
 *    random nonce cookie; its hash, the expected DID and `return_to` ride in
 *    the OAuth state, sealed in sqld.
 * 2. finish (the OAuth callback, on the apex or on 127.0.0.1 for the loopback
 *    client): the token response's verified DID must be the expected one; the
 *    handle is refreshed from the DID document (bidirectionally verified); a
 *    one-time handover code, bound to the nonce hash, is issued.
 * 3. redeem (on the apex): the code is used exactly once, within a minute, by
 *    the browser holding the nonce; only then is a platform session created.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { CryptoKey } from 'jose';
import { z } from 'zod';
import { signInHandovers, users } from '../../db/schema.ts';
import type { Db } from '../lib/db.ts';
import { createSession, SESSION_TTL_MS } from '../lib/directory/sessions.ts';
import { upsertUser } from '../lib/directory/users.ts';
import { AppError } from '../lib/errors.ts';
import { didSchema, handleSchema } from '../lib/identity.ts';
import { safeReturnTo } from '../lib/return-to.ts';
import { signSessionToken } from '../lib/session-token.ts';
import { hashSecret, randomSecret } from '../lib/tokens.ts';

export const HANDOVER_TTL_MS = 60_000;

/** What the sign-in needs from an ATProto OAuth client. */
export interface AtprotoSignInClient {
  /** The DID (and verified handle, if any) a handle or DID stands for. */
  resolve(handleOrDid: string): Promise<{ did: string; handle: string | null }>;
  /** The authorization server's URL to send the browser to. */
  authorize(input: string, appState: string): Promise<URL>;
  /** Completes the code exchange; the DID is the token response's verified `sub`. */
  callback(params: URLSearchParams): Promise<{ did: string; appState: string | null }>;
  /** Handle (verified, or `handle.invalid`) and display name of a signed-in DID. */
  profile(did: string): Promise<{ handle: string; displayName: string | null }>;
}

export interface SignInDeps {
  db: Db;
  client: AtprotoSignInClient;
  publicOrigin: string;
  apex: string;
  now?: () => number;
}

/** What a person may type at the sign-in form. */
export type SignInInput = { kind: 'handle'; value: string } | { kind: 'did'; value: string } | { kind: 'service'; value: string };

export function parseSignInInput(raw: string): SignInInput {
  const text = raw.trim();
  if (!text) throw new AppError('invalid', 'Type your handle, such as alice.bsky.social.');
  if (text.startsWith('did:')) {
    const did = didSchema.safeParse(text);
    if (!did.success) throw new AppError('invalid', `"${text.slice(0, 80)}" is not a DID we can sign in with.`);
    return { kind: 'did', value: did.data };
  }
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new AppError('invalid', 'That address is not a valid URL.');
    }
    if (url.protocol !== 'https:' && !/^(localhost|127\.0\.0\.1)$/.test(url.hostname)) throw new AppError('invalid', 'A PDS address must use https.');
    return { kind: 'service', value: url.origin };
  }
  const handle = handleSchema.safeParse(text);
  if (!handle.success) throw new AppError('invalid', `"${text.slice(0, 80)}" is not a handle. A handle looks like alice.bsky.social.`);
  return { kind: 'handle', value: handle.data };
}

const appStateSchema = z.object({ r: z.string(), n: z.string(), d: z.string().nullable() });
type AppState = z.infer<typeof appStateSchema>;

export async function startSignIn(deps: SignInDeps, typed: string, returnTo: string | null): Promise<{ redirect: URL; nonce: string }> {
  const input = parseSignInInput(typed);
  let expectedDid: string | null = null;
  if (input.kind !== 'service') {
    try {
      expectedDid = (await deps.client.resolve(input.value)).did;
    } catch {
      throw new AppError('not_found', input.kind === 'handle' ? `We could not find the handle ${input.value}. Check the spelling.` : `We could not find ${input.value}.`);
    }
  }
  const nonce = randomSecret(24);
  const state: AppState = { r: safeReturnTo(returnTo, deps.publicOrigin, deps.apex), n: await hashSecret(nonce), d: expectedDid };
  let redirect: URL;
  try {
    redirect = await deps.client.authorize(input.value, JSON.stringify(state));
  } catch (err) {
    throw new AppError('unavailable', `Your account's server did not accept the sign-in request: ${(err as Error).message}`);
  }
  return { redirect, nonce };
}

/** The callback: checks who signed in and issues the handover code; returns where the browser goes next. */
export async function finishSignIn(deps: SignInDeps, params: URLSearchParams): Promise<URL> {
  const now = deps.now?.() ?? Date.now();
  const denied = params.get('error');
  if (denied) throw new AppError('unauthorized', params.get('error_description') || (denied === 'access_denied' ? 'Sign-in was cancelled.' : `Sign-in failed: ${denied}`));
  let result: { did: string; appState: string | null };
  try {
    result = await deps.client.callback(params);
  } catch (err) {
    throw new AppError('unauthorized', `This sign-in link is no longer valid (${(err as Error).message}). Start again.`);
  }
  const parsed = appStateSchema.safeParse(JSON.parse(result.appState ?? 'null'));
  if (!parsed.success) throw new AppError('unauthorized', 'This sign-in was not started here. Start again.');
  const state = parsed.data;
  if (state.d && state.d !== result.did) {
    throw new AppError('forbidden', 'The account that signed in is not the one whose handle you typed. Start again with your own handle.');
  }
  const profile = await deps.client.profile(result.did);
  await upsertUser(deps.db, { did: result.did, handle: profile.handle, displayName: profile.displayName }, { kind: 'user', did: result.did });
  const code = randomSecret(32);
  await deps.db.insert(signInHandovers).values({ codeHash: await hashSecret(code), userDid: result.did, returnTo: state.r, nonceHash: state.n, expiresAt: now + HANDOVER_TTL_MS });
  const next = new URL('/auth/handover', deps.publicOrigin);
  next.searchParams.set('code', code);
  return next;
}

/** Redeems a handover code in the browser that started the sign-in: a new platform session. */
export async function redeemHandover(
  deps: SignInDeps & { sessionKey: CryptoKey | Uint8Array; sessionKid: string },
  code: string,
  nonce: string | null,
  userAgent: string | undefined,
): Promise<{ token: string; expiresAt: number; returnTo: string }> {
  const now = deps.now?.() ?? Date.now();
  const codeHash = await hashSecret(code);
  // Single use: only the first request flips used_at.
  const [row] = await deps.db
    .update(signInHandovers)
    .set({ usedAt: now })
    .where(and(eq(signInHandovers.codeHash, codeHash), isNull(signInHandovers.usedAt), gt(signInHandovers.expiresAt, now)))
    .returning();
  if (!row) throw new AppError('unauthorized', 'This sign-in link was already used or has expired. Sign in again.');
  if (!nonce || (await hashSecret(nonce)) !== row.nonceHash) {
    throw new AppError('forbidden', 'This sign-in was started in another browser. Sign in again here.');
  }
  const session = await createSession(deps.db, row.userDid, { ttlMs: SESSION_TTL_MS, userAgent }, { kind: 'user', did: row.userDid });
  await deps.db.update(users).set({ lastLoginAt: now }).where(eq(users.did, row.userDid));
  const token = await signSessionToken(deps.sessionKey, deps.sessionKid, { did: row.userDid, sessionId: session.id }, session.expiresAt);
  return { token, expiresAt: session.expiresAt, returnTo: row.returnTo };
}
