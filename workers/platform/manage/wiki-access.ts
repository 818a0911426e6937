/**
 * Opening a wiki for management: the wiki exists, the caller is a member
 * (management data is for members, even of public wikis), and a token is for
 * this wiki, may read with `read`, and changes only with `write` held by an
 * owner or admin. The role rules of policy.ts come on top.
 */
import type { Role } from '../../../db/schema.ts';
import { getRole } from '../../lib/directory/members.ts';
import { getWikiBySlug, type Wiki } from '../../lib/directory/wikis.ts';
import { AppError } from '../../lib/errors.ts';
import { isValidSlugShape } from '../../lib/slugs.ts';
import type { Manager } from './manager.ts';
import { canManage } from './policy.ts';

export interface WikiAccess {
  wiki: Wiki;
  /** The caller's role in the wiki now. */
  role: Role;
}

export type Intent = 'read' | 'change';

export async function openWiki(m: Manager, slug: string, intent: Intent): Promise<WikiAccess> {
  const wiki = isValidSlugShape(slug) ? await getWikiBySlug(m.db, slug) : null;
  if (!wiki) throw new AppError('not_found', `There is no wiki named "${slug.slice(0, 63)}".`);
  const p = m.principal;
  if (p.kind === 'token') {
    if (p.grant.wikiId !== wiki.id) throw new AppError('unauthorized', `This token is not valid for the wiki "${wiki.slug}".`);
    if (intent === 'read' && !p.grant.scopes.includes('read')) throw new AppError('forbidden', 'This token has no read scope.');
    if (intent === 'change' && !(p.grant.scopes.includes('write') && canManage(p.grant.role))) {
      throw new AppError('forbidden', 'Changing a wiki with a token needs the write scope and an owner or admin as its holder.');
    }
    return { wiki, role: p.grant.role };
  }
  const role = await getRole(m.db, wiki.id, p.session.did);
  if (!role) throw new AppError('forbidden', `You are not a member of "${wiki.slug}".`);
  return { wiki, role };
}
