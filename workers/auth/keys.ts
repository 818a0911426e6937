/**
 * The auth worker's keys, from environment bindings. Imported lazily (workerd
 * forbids crypto at module scope) and memoised per isolate.
 */
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';
import { parseOrThrow } from '../lib/validate.ts';

const privateJwkSchema = z.looseObject({ kty: z.string(), kid: z.string().min(1), d: z.string().min(1) });

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** The public half of a private JWK. */
export function publicPart(jwk: JWK): JWK {
  const pub: JWK = { ...jwk };
  for (const k of PRIVATE_MEMBERS) delete (pub as Record<string, unknown>)[k];
  return pub;
}

let cachedJwks: { source: string; jwks: { keys: JWK[] } } | undefined;

/** JWKS of the ATProto client key: what a PDS fetches to check `private_key_jwt` assertions. */
export async function publicJwks(env: { ATP_CLIENT_JWK: string }): Promise<{ keys: JWK[] }> {
  if (cachedJwks?.source === env.ATP_CLIENT_JWK) return cachedJwks.jwks;
  const jwk = parseOrThrow(privateJwkSchema, JSON.parse(env.ATP_CLIENT_JWK), 'ATP_CLIENT_JWK') as JWK;
  await importJWK(jwk, 'ES256'); // proves the key is usable before it is published
  const jwks = { keys: [{ ...publicPart(jwk), use: 'sig', alg: 'ES256' }] };
  cachedJwks = { source: env.ATP_CLIENT_JWK, jwks };
  return jwks;
}

let cachedSessionKey: { source: string; key: CryptoKey | Uint8Array } | undefined;

/** The RS256 key that signs platform session JWTs. */
export async function sessionSigningKey(env: { SESSION_JWK: string }): Promise<CryptoKey | Uint8Array> {
  if (cachedSessionKey?.source === env.SESSION_JWK) return cachedSessionKey.key;
  const jwk = parseOrThrow(privateJwkSchema, JSON.parse(env.SESSION_JWK), 'SESSION_JWK') as JWK;
  const key = await importJWK(jwk, 'RS256');
  cachedSessionKey = { source: env.SESSION_JWK, key };
  return key;
}

let cachedVerifyKey: { source: string; key: CryptoKey | Uint8Array } | undefined;

/** The public half of the session key, for verifying session tokens. */
export async function sessionVerifyKey(env: { SESSION_JWK: string }): Promise<CryptoKey | Uint8Array> {
  if (cachedVerifyKey?.source === env.SESSION_JWK) return cachedVerifyKey.key;
  const jwk = parseOrThrow(privateJwkSchema, JSON.parse(env.SESSION_JWK), 'SESSION_JWK') as JWK;
  const key = await importJWK({ ...publicPart(jwk), alg: 'RS256' }, 'RS256');
  cachedVerifyKey = { source: env.SESSION_JWK, key };
  return key;
}

let cachedCsrfKey: { source: string; key: CryptoKey } | undefined;

/** HMAC key for CSRF tokens, derived from DATA_KEY so no other key material is needed. */
export async function csrfKey(env: { DATA_KEY: string }): Promise<CryptoKey> {
  if (cachedCsrfKey?.source === env.DATA_KEY) return cachedCsrfKey.key;
  const raw = Uint8Array.from(atob(env.DATA_KEY), (ch) => ch.charCodeAt(0));
  const base = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('wikifarm csrf v1') },
    base,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
  cachedCsrfKey = { source: env.DATA_KEY, key };
  return key;
}
