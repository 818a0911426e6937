/** How the management API writes things: snake_case fields, ISO times, no secrets. */
import type { Role } from '../../../db/schema.ts';
import type { MemberView } from '../../lib/directory/members.ts';
import type { ConnectionView } from '../../lib/directory/oauth-grants.ts';
import type { TokenView } from '../../lib/directory/personal-access-tokens.ts';
import type { SessionView } from '../../lib/directory/sessions.ts';
import type { Wiki } from '../../lib/directory/wikis.ts';
import { gitCloneUrl, mcpUrl, wikiOrigin } from '../urls.ts';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function wikiJson(publicOrigin: string, wiki: Wiki, role: Role, extra: { owner_handle?: string; member_count?: number } = {}) {
  return {
    slug: wiki.slug,
    title: wiki.title,
    description: wiki.description,
    visibility: wiki.visibility,
    git_access: wiki.gitAccess,
    owner_did: wiki.ownerDid,
    ...extra,
    role,
    created_at: iso(wiki.createdAt),
    updated_at: iso(wiki.updatedAt),
    urls: { wiki: `${wikiOrigin(publicOrigin, wiki.slug)}/`, mcp: mcpUrl(publicOrigin, wiki.slug), git: gitCloneUrl(publicOrigin, wiki.slug) },
  };
}

export function memberJson(m: MemberView) {
  return { did: m.did, handle: m.handle, display_name: m.displayName, role: m.role, added_at: iso(m.addedAt) };
}

export function tokenJson(t: TokenView & { handle?: string }) {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    holder: { did: t.userDid, ...(t.handle !== undefined ? { handle: t.handle } : {}) },
    created_at: iso(t.createdAt),
    expires_at: iso(t.expiresAt),
    last_used_at: iso(t.lastUsedAt),
    revoked_at: iso(t.revokedAt),
  };
}

export function connectionJson(c: ConnectionView) {
  return {
    id: c.id,
    client_name: c.clientName,
    client_id: c.clientId,
    redirect_host: c.redirectHost,
    user: { did: c.userDid, handle: c.handle, display_name: c.displayName },
    scopes: c.scopes,
    created_at: iso(c.createdAt),
    last_used_at: iso(c.lastUsedAt),
  };
}

export function sessionJson(s: SessionView, currentId: string) {
  return { id: s.id, current: s.id === currentId, user_agent: s.userAgent, created_at: iso(s.createdAt), last_seen_at: iso(s.lastSeenAt), expires_at: iso(s.expiresAt) };
}
