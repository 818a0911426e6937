/**
 * Redirect URI matching: exact, except that a loopback redirect may use any
 * port (RFC 8252 §7.3): Claude Code registers `http://localhost/callback` and
 * listens on an ephemeral port.
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

export function redirectMatches(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  if (!isLoopbackRedirect(requested)) return false;
  const want = new URL(requested);
  return registered.some((r) => {
    if (!isLoopbackRedirect(r)) return false;
    const have = new URL(r);
    return have.hostname === want.hostname && have.pathname === want.pathname && have.search === want.search;
  });
}

/** A redirect URI a client may register: https, or http on a loopback host; no fragment, no userinfo. */
export function isAcceptableRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    if (url.hash || url.username || url.password) return false;
    return url.protocol === 'https:' || isLoopbackRedirect(uri);
  } catch {
    return false;
  }
}
