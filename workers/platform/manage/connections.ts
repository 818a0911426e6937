/**
 * Connected apps on a wiki: the MCP clients (Claude and others) members
 * authorised through the wiki's OAuth consent page. Owners and admins see and
 * disconnect every one; other members see and disconnect their own. The
 * same rules as personal access tokens (policy.ts `checkTokenRevoke`).
 */
import { findGrant, listActiveGrants, revokeGrant, type ConnectionView } from '../../lib/directory/oauth-grants.ts';
import { AppError } from '../../lib/errors.ts';
import { actorOf, didOf, directoryChanged, type Manager } from './manager.ts';
import { canManage, checkTokenRevoke } from './policy.ts';
import { openWiki, type WikiAccess } from './wiki-access.ts';

export interface ConnectionLists {
  access: WikiAccess;
  /** The active connections the caller may see: everyone's for owners and admins, else their own. Newest first. */
  connections: ConnectionView[];
  /** True when `connections` holds everyone's. */
  all: boolean;
}

export async function listConnectionsFor(m: Manager, slug: string): Promise<ConnectionLists> {
  const access = await openWiki(m, slug, 'read');
  const all = canManage(access.role);
  const connections = await listActiveGrants(m.db, all ? { wikiId: access.wiki.id } : { wikiId: access.wiki.id, userDid: didOf(m) });
  return { access, connections, all };
}

/** Disconnects an app from this wiki: your own, or (owners and admins) anyone's. Its tokens stop working at once. */
export async function revokeConnectionFor(m: Manager, slug: string, grantId: string): Promise<void> {
  const access = await openWiki(m, slug, m.principal.kind === 'token' ? 'change' : 'read');
  const id = grantId.slice(0, 100);
  const grant = await findGrant(m.db, access.wiki.id, id);
  if (!grant) throw new AppError('not_found', `"${slug}" has no connected app ${id}.`);
  checkTokenRevoke(access.role, grant.userDid === didOf(m), slug);
  await revokeGrant(m.db, access.wiki.id, id, actorOf(m));
  await directoryChanged(m.env);
}
