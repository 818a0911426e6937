/** Collaborators: adding people by handle, changing roles, removing, leaving. */
import { z } from 'zod';
import { ROLES, type Role } from '../../../db/schema.ts';
import { listMembers, removeMember, setMember, type MemberView } from '../../lib/directory/members.ts';
import { AppError } from '../../lib/errors.ts';
import { handleSchema } from '../../lib/identity.ts';
import { unwrapRpc } from '../../lib/rpc-result.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import { actorOf, didOf, directoryChanged, type Manager } from './manager.ts';
import { checkAdd, checkRemoval, checkRoleChange } from './policy.ts';
import { openWiki, type WikiAccess } from './wiki-access.ts';

export const roleSchema = z.enum(ROLES);
const personSchema = z.string().trim().min(1, 'say who: a handle such as alice.bsky.social, or a DID').max(300);

export async function listMembersFor(m: Manager, slug: string): Promise<{ access: WikiAccess; members: MemberView[] }> {
  const access = await openWiki(m, slug, 'read');
  return { access, members: await listMembers(m.db, access.wiki.id) };
}

/** The member of `list` that `who` (a DID or a handle) names. */
function findMember(list: MemberView[], who: string, slug: string): MemberView {
  const text = who.trim();
  const handle = text.startsWith('did:') ? null : handleSchema.safeParse(text);
  const found = list.find((x) => (handle ? handle.success && x.handle === handle.data : x.did === text));
  if (!found) throw new AppError('not_found', `${text.slice(0, 100)} is not a member of "${slug}".`);
  return found;
}

/**
 * Adds the person with handle or DID `who` (the auth worker resolves it and
 * makes sure they have a user row) as `role`.
 */
export async function addMemberFor(m: Manager, slug: string, who: string, role: Role): Promise<MemberView> {
  const access = await openWiki(m, slug, 'change');
  checkAdd(access.role, role, slug);
  const person = unwrapRpc(await m.env.AUTH.resolveIdentity(parseOrThrow(personSchema, who, 'collaborator')));
  const current = await listMembers(m.db, access.wiki.id);
  const existing = current.find((x) => x.did === person.did);
  if (existing) throw new AppError('conflict', `${person.handle} is already ${existing.role === 'admin' || existing.role === 'owner' ? 'an' : 'a'} ${existing.role} of "${slug}". Change their role instead.`);
  await setMember(m.db, access.wiki, person.did, role, actorOf(m));
  await directoryChanged(m.env);
  return { did: person.did, handle: person.handle, displayName: person.displayName, role, addedAt: Date.now() };
}

export async function changeRoleFor(m: Manager, slug: string, who: string, role: Role): Promise<MemberView> {
  const access = await openWiki(m, slug, 'change');
  const member = findMember(await listMembers(m.db, access.wiki.id), who, slug);
  checkRoleChange(access.role, member.role, role, slug);
  if (member.role !== role) {
    await setMember(m.db, access.wiki, member.did, role, actorOf(m));
    await directoryChanged(m.env);
  }
  return { ...member, role };
}

/** Removes `who` from the wiki (their tokens there are revoked); removing yourself is leaving. */
export async function removeMemberFor(m: Manager, slug: string, who: string): Promise<void> {
  const access = await openWiki(m, slug, 'change');
  const member = findMember(await listMembers(m.db, access.wiki.id), who, slug);
  checkRemoval(access.role, member.role, member.did === didOf(m), slug);
  await removeMember(m.db, access.wiki, member.did, actorOf(m));
  await directoryChanged(m.env);
}

/** The caller leaves the wiki. Any member but the owner may, whatever their role. */
export async function leaveWikiFor(m: Manager, slug: string): Promise<void> {
  // Leaving needs no management rights with a session; with a token it is a change like any other.
  const access = await openWiki(m, slug, m.principal.kind === 'token' ? 'change' : 'read');
  checkRemoval(access.role, access.role, true, slug);
  await removeMember(m.db, access.wiki, didOf(m), actorOf(m));
  await directoryChanged(m.env);
}
