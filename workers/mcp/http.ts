/**
 * The HTTP rules of `/mcp` around the SDK's transport, as pure functions:
 * which origins may call it, the OAuth challenges, and the `Accept` header
 * clients really send (protocols.md §3, §4.7). No I/O.
 */

import { WIKI_OAUTH_SCOPES } from '../lib/wiki-urls.ts';

/** Browser origins besides the wiki's own and the apex that may call the endpoint (a bearer token is still needed). */
const CLAUDE_ORIGINS = ['https://claude.ai', 'https://claude.com'];

/**
 * The `WWW-Authenticate` value of a 401. Without credentials it is the bare
 * challenge RFC 6750 prefers; a rejected token adds `error="invalid_token"`.
 */
export function bearerChallenge(metadataUrl: string, invalidToken: boolean): string {
  return `Bearer ${invalidToken ? 'error="invalid_token", ' : ''}resource_metadata="${metadataUrl}", scope="${WIKI_OAUTH_SCOPES.join(' ')}"`;
}

/**
 * The `WWW-Authenticate` value of a 403 for a call the token's scopes do not
 * cover (RFC 6750 §3.1, protocols.md §2.9): every scope the endpoint uses, so
 * one step-up authorisation covers everything, and where to discover the
 * authorization server.
 */
export function insufficientScopeChallenge(metadataUrl: string): string {
  return `Bearer error="insufficient_scope", scope="${WIKI_OAUTH_SCOPES.join(' ')}", resource_metadata="${metadataUrl}"`;
}

/**
 * Whether a request with this `Origin` header may proceed. No header: yes
 * (Claude.ai's backend and Claude Code send none; the bearer token is the
 * gate). Otherwise only the wiki's own origin, the apex and Claude's web
 * origins; `null` (sandboxed frames, files) and everything else are refused
 * (DNS rebinding, cross-site pages).
 */
export function originAllowed(origin: string | null, allowed: { wiki: string; apex: string }): boolean {
  if (origin === null) return true;
  const o = origin.trim().toLowerCase();
  return o === allowed.wiki.toLowerCase() || o === allowed.apex.toLowerCase() || CLAUDE_ORIGINS.includes(o);
}

/** The bearer token of an `Authorization` header, or null when there is none or it is not `Bearer <token>`. */
export function bearerToken(header: string | null): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{1,512})[ ]*$/i.exec(header.trim());
  return m?.[1] ?? null;
}

/**
 * How to answer, from what the client accepts: SSE when it accepts SSE but not
 * JSON, JSON otherwise (also for `*\/*`, `application/*` and no header at all).
 * The SDK transport insists on both types, so the request it sees always
 * lists both.
 */
export function responseMode(accept: string | null): 'json' | 'sse' {
  const types = (accept ?? '')
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { type, q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.type !== '' && !(t.q <= 0));
  const json = types.some((t) => t.type === 'application/json' || t.type === 'application/*' || t.type === '*/*');
  const sse = types.some((t) => t.type === 'text/event-stream');
  return sse && !json ? 'sse' : 'json';
}

/** The Accept header the SDK transport requires. */
export const TRANSPORT_ACCEPT = 'application/json, text/event-stream';
