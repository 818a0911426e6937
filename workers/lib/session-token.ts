/**
 * The platform session token: an RS256 JWT naming the session and its user.
 * Signed by the auth worker at sign-in (and by the admin CLI), verified by the
 * auth worker for every other worker.
 */
import { jwtVerify, SignJWT, type CryptoKey, type KeyObject } from 'jose';
import { SESSION_AUDIENCE } from './directory/sessions.ts';

export interface SessionClaims {
  did: string;
  sessionId: string;
}

type Key = CryptoKey | KeyObject | Uint8Array;

/** `iss` of session JWTs. The signing key is unique to each installation. */
const ISSUER = 'wikifarm';

export async function signSessionToken(key: Key, kid: string, claims: SessionClaims, expiresAt: number): Promise<string> {
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setSubject(claims.did)
    .setIssuer(ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(key);
}

/** The claims of a valid token, or null (bad signature, expired, wrong issuer or audience, malformed). */
export async function verifySessionToken(key: Key, token: string): Promise<SessionClaims | null> {
  if (token.length > 4096) return null;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['RS256'], issuer: ISSUER, audience: SESSION_AUDIENCE });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return { did: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}
