/**
 * The auth worker's keys, from environment bindings. Imported lazily (workerd
 * forbids crypto at module scope) and memoised per isolate.
 */
import { importJWK, type JWK } from 'jose';
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
