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

const derivedKeys = new Map<string, { source: string; key: CryptoKey }>();

/** A key derived from DATA_KEY with HKDF, one per purpose (`info`), so no other key material is needed. */
async function derivedKey(env: { DATA_KEY: string }, info: string, algorithm: { name: 'HMAC'; hash: 'SHA-256'; length: number } | { name: 'AES-GCM'; length: number }, usages: ('sign' | 'encrypt' | 'decrypt')[]): Promise<CryptoKey> {
  const cached = derivedKeys.get(info);
  if (cached?.source === env.DATA_KEY) return cached.key;
  const raw = Uint8Array.from(atob(env.DATA_KEY), (ch) => ch.charCodeAt(0));
  const base = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(info) }, base, algorithm, false, usages);
  derivedKeys.set(info, { source: env.DATA_KEY, key });
  return key;
}

/** HMAC key for CSRF tokens. */
export function csrfKey(env: { DATA_KEY: string }): Promise<CryptoKey> {
  return derivedKey(env, 'wikifarm csrf v1', { name: 'HMAC', hash: 'SHA-256', length: 256 }, ['sign']);
}

/** AES-GCM key that seals the ATProto client's stored state and sessions (DPoP keys, tokens). */
export function sealingKey(env: { DATA_KEY: string }): Promise<CryptoKey> {
  return derivedKey(env, 'wikifarm atproto store v1', { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt']);
}

/** The `kid` session JWTs are signed with. */
export function sessionKid(env: { SESSION_JWK: string }): string {
  return parseOrThrow(privateJwkSchema, JSON.parse(env.SESSION_JWK), 'SESSION_JWK').kid;
}
