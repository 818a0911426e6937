/**
 * OAuth scopes of the MCP authorization server and how they meet roles:
 * `wiki:read`, `wiki:write` (and `offline_access`, which only asks for a
 * refresh token, issued anyway). Unknown scopes are dropped (clients send
 * junk such as `claudeai`); no scope means both; a role caps what is granted.
 */
import type { Role, TokenScope } from '../../db/schema.ts';
import { scopesForRole } from '../lib/roles.ts';
import { WIKI_OAUTH_SCOPES } from '../lib/wiki-urls.ts';

export const OAUTH_SCOPES = WIKI_OAUTH_SCOPES;
export const SUPPORTED_SCOPES = [...OAUTH_SCOPES, 'offline_access'] as const;

/** The wiki scopes a request asks for. */
export function requestedScopes(scope: string | null | undefined): TokenScope[] {
  const asked = new Set((scope ?? '').split(/\s+/).filter(Boolean));
  const wanted: TokenScope[] = [];
  if (asked.has('wiki:read')) wanted.push('read');
  if (asked.has('wiki:write')) wanted.push('write', ...(asked.has('wiki:read') ? [] : (['read'] as TokenScope[])));
  return wanted.length ? [...new Set(wanted)].sort() : ['read', 'write'];
}

/** What a member with `role` may grant of `wanted`. */
export function grantableScopes(wanted: readonly TokenScope[], role: Role): TokenScope[] {
  const allowed = scopesForRole(role);
  return wanted.filter((s) => allowed.includes(s));
}

export function toOAuthScope(scopes: readonly TokenScope[]): string {
  return scopes.map((s) => `wiki:${s}`).join(' ');
}
