/** AES-GCM sealing of small JSON values, with a context bound in as associated data. */
import type { CryptoKey } from 'jose';
const encoder = new TextEncoder();

export async function seal(key: CryptoKey, context: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key, encoder.encode(JSON.stringify(value))));
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return btoa(String.fromCharCode(...out));
}

/** The opened value, or undefined when it was sealed under another key or context, or tampered with. */
export async function unseal<T>(key: CryptoKey, context: string, text: string): Promise<T | undefined> {
  try {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12), additionalData: encoder.encode(context) }, key, bytes.subarray(12));
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  } catch {
    return undefined;
  }
}
