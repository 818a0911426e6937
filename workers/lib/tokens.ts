/**
 * Random identifiers and secrets, and the one-way hash secrets are stored as.
 * WebCrypto only, so the same code runs in workerd and in Node (the admin CLI).
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random lowercase id like `wk_3f9z…`; 16 characters ≈ 82 bits. */
export function newId(prefix: string, length = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let s = '';
  for (const b of bytes) s += ALPHABET[b % 36];
  return `${prefix}_${s}`;
}

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random URL-safe secret of `bytes` random bytes (nonces, one-time codes). */
export function randomSecret(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Prefix of personal access tokens, so leaked ones are recognisable by secret scanners. */
export const PAT_PREFIX = 'wfpat_';

/** A new personal access token secret: 256 random bits. Shown once, stored only as its hash. */
export function newPersonalAccessToken(): string {
  return PAT_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Hex SHA-256 of a secret. Tokens carry 256 random bits, so a fast hash is enough. */
export async function hashSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
