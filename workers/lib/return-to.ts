/**
 * Where a finished sign-in may send the browser: only this platform's apex or
 * one of its wiki hosts, on the public origin's scheme and port. Anything
 * else (another site, `//evil`, `javascript:`, a lookalike host) falls back
 * to the dashboard, so sign-in can never be used as an open redirect.
 */
import { classifyHost } from './hosts.ts';

export const DEFAULT_RETURN_PATH = '/app';

export function safeReturnTo(input: string | null | undefined, publicOrigin: string, apex: string): string {
  const origin = new URL(publicOrigin);
  const fallback = new URL(DEFAULT_RETURN_PATH, origin).href;
  if (!input || input.length > 2000) return fallback;
  // A path on the apex; `//host` and `/\host` are other hosts to browsers.
  if (input.startsWith('/') && !input.startsWith('//') && !input.startsWith('/\\')) {
    const url = new URL(input, origin);
    return url.origin === origin.origin ? url.href : fallback;
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return fallback;
  }
  if (url.protocol !== origin.protocol || url.port !== origin.port || url.username || url.password) return fallback;
  const target = classifyHost(url.host, apex);
  return target.kind === 'apex' || target.kind === 'wiki' ? url.href : fallback;
}
