/**
 * The stack's secrets, generated on first start and kept in <data>/keys (files
 * 0600). Later starts load the same keys: sessions survive restarts, and a PDS
 * that cached the ATProto client's JWKS keeps accepting its assertions.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { StartupError } from './fail.ts';

export interface Keys {
  /** RS256 private JWK: signs platform session JWTs. */
  sessionJwk: string;
  /** ES256 private JWK: the ATProto OAuth client's `private_key_jwt` key. */
  atpClientJwk: string;
  /** 32 random bytes, base64: encrypts secrets at rest (DPoP keys). */
  dataKey: string;
}

const FILES = { sessionJwk: 'session.jwk.json', atpClientJwk: 'atproto-client.jwk.json', dataKey: 'data.key' } as const;

async function newJwk(alg: 'RS256' | 'ES256'): Promise<string> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk: JWK = await exportJWK(privateKey);
  jwk.kid = (await calculateJwkThumbprint(jwk)).slice(0, 16);
  jwk.alg = alg;
  return JSON.stringify(jwk);
}

function writeSecret(file: string, content: string): void {
  // 'wx': never overwrite a key another process wrote in the meantime.
  fs.writeFileSync(file, content + '\n', { mode: 0o600, flag: 'wx' });
}

function readSecret(file: string): string {
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new StartupError(`${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`);
  return fs.readFileSync(file, 'utf8').trim();
}

/** Loads the keys, creating any that are missing. */
export async function loadOrCreateKeys(keysDir: string): Promise<{ keys: Keys; created: string[] }> {
  const created: string[] = [];
  const makers: Record<keyof Keys, () => Promise<string>> = {
    sessionJwk: () => newJwk('RS256'),
    atpClientJwk: () => newJwk('ES256'),
    dataKey: async () => randomBytes(32).toString('base64'),
  };
  const keys = {} as Keys;
  for (const name of Object.keys(FILES) as (keyof Keys)[]) {
    const file = path.join(keysDir, FILES[name]);
    if (!fs.existsSync(file)) {
      writeSecret(file, await makers[name]());
      created.push(FILES[name]);
    }
    keys[name] = readSecret(file);
  }
  return { keys, created };
}
