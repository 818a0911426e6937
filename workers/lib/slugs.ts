/** Wiki slugs: the subdomain and OAuth issuer of a wiki, so they never change. */

export const SLUG_MIN = 3;
export const SLUG_MAX = 30;

/** Names that must never become a wiki: platform hosts, infrastructure, confusables. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'www', 'api', 'mcp', 'auth', 'oauth', 'admin', 'app', 'apps', 'static', 'assets', 'cdn', 'mail',
  'email', 'smtp', 'imap', 'pop', 'ftp', 'ssh', 'git', 'dev', 'staging', 'test', 'status', 'help',
  'support', 'docs', 'blog', 'about', 'login', 'logout', 'signin', 'signup', 'register', 'account',
  'accounts', 'settings', 'dashboard', 'internal', 'root', 'system', 'wiki', 'wikis', 'new', 'null',
  'undefined', 'localhost', 'security', 'abuse', 'postmaster', 'hostmaster', 'webmaster', 'billing',
  'ns1', 'ns2', 'dns', 'vpn', 'proxy', 'health', 'metrics', 'well-known',
]);

const SLUG_SHAPE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** True for one DNS label made of lowercase letters, digits and inner hyphens (any length). */
export function isValidSlugShape(s: string): boolean {
  return s.length <= 63 && SLUG_SHAPE.test(s);
}

/** Why a slug cannot be used for a new wiki, or `null` when it can. */
export function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN || slug.length > SLUG_MAX) {
    return `a wiki name must be ${SLUG_MIN}–${SLUG_MAX} characters long`;
  }
  if (!isValidSlugShape(slug)) {
    return 'a wiki name may use only lowercase letters, digits and hyphens, and must start and end with a letter or digit';
  }
  if (slug.includes('--')) return 'a wiki name may not contain two hyphens in a row';
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is reserved`;
  return null;
}
