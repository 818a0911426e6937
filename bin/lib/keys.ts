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
import { writeFileWhole } from './files.ts';

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
  try {
    // Whole or not at all, and never over a key another process wrote meanwhile.
    writeFileWhole(file, content + '\n', { exclusive: true, mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function readSecret(file: string, valid: (text: string) => boolean): string {
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new StartupError(`${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`);
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!valid(text)) throw new StartupError(`${file} is damaged (not the key it should hold); restore it from a backup`);
  return text;
}

function isPrivateJwk(kty: string): (text: string) => boolean {
  return (text) => {
    try {
      const jwk = JSON.parse(text) as JWK;
      return jwk.kty === kty && typeof jwk.d === 'string' && typeof jwk.kid === 'string';
    } catch {
      return false;
    }
  };
}

/** Loads the keys, creating any that are missing. */
export async function loadOrCreateKeys(keysDir: string): Promise<{ keys: Keys; created: string[] }> {
  const created: string[] = [];
  const makers: Record<keyof Keys, () => Promise<string>> = {
    sessionJwk: () => newJwk('RS256'),
    atpClientJwk: () => newJwk('ES256'),
    dataKey: async () => randomBytes(32).toString('base64'),
  };
  const checks: Record<keyof Keys, (text: string) => boolean> = {
    sessionJwk: isPrivateJwk('RSA'),
    atpClientJwk: isPrivateJwk('EC'),
    dataKey: (text) => Buffer.from(text, 'base64').length === 32,
  };
  const keys = {} as Keys;
  for (const name of Object.keys(FILES) as (keyof Keys)[]) {
    const file = path.join(keysDir, FILES[name]);
    if (!fs.existsSync(file)) {
      writeSecret(file, await makers[name]());
      created.push(FILES[name]);
    }
    keys[name] = readSecret(file, checks[name]);
  }
  return { keys, created };
}
