/**
 * Who may manage what in a wiki: pure rules over roles, shared by the
 * dashboard and the management API. Owners and admins manage; only the owner
 * deletes the wiki or hands it on (to an existing admin); nobody but the
 * owner's own handover changes who the owner is.
 */
import type { Role } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { roleAtLeast } from '../../lib/roles.ts';

/** True for the roles that manage a wiki's settings, members and everyone's tokens. */
export function canManage(role: Role): boolean {
  return roleAtLeast(role, 'admin');
}

export function requireManager(role: Role, slug: string): void {
  if (!canManage(role)) throw new AppError('forbidden', `Only the owner and admins of "${slug}" can do that; you are ${article(role)} ${role}.`);
}

export function requireOwner(role: Role, slug: string, what: string): void {
  if (role !== 'owner') throw new AppError('forbidden', `Only the owner of "${slug}" can ${what}.`);
}

function article(role: Role): string {
  return /^[aeiou]/.test(role) ? 'an' : 'a';
}

function noNewOwners(role: Role): void {
  if (role === 'owner') {
    throw new AppError('forbidden', 'Nobody is made owner by a role change: the owner hands the wiki to an admin instead.');
  }
}

/** `actor` adds someone as `role`. */
export function checkAdd(actor: Role, role: Role, slug: string): void {
  requireManager(actor, slug);
  noNewOwners(role);
}

/** `actor` changes the role of a member who is `target` now to `role`. */
export function checkRoleChange(actor: Role, target: Role, role: Role, slug: string): void {
  requireManager(actor, slug);
  noNewOwners(role);
  if (target === 'owner') throw new AppError('forbidden', "The owner's role cannot be changed. The owner can hand the wiki to an admin.");
}

/** `actor` removes a member who is `target` (`self`: they leave). */
export function checkRemoval(actor: Role, target: Role, self: boolean, slug: string): void {
  if (target === 'owner') {
    throw self
      ? new AppError('conflict', `The owner cannot leave "${slug}": hand it to an admin first, or delete it.`)
      : new AppError('forbidden', 'The owner cannot be removed.');
  }
  if (!self) requireManager(actor, slug);
}

/** `actor` hands the wiki to a member who is `target`. */
export function checkTransfer(actor: Role, target: Role | null, slug: string): void {
  requireOwner(actor, slug, 'hand it to someone else');
  if (target === 'owner') throw new AppError('conflict', 'You already own this wiki.');
  if (target !== 'admin') throw new AppError('conflict', `Only an admin of "${slug}" can become its owner: make them an admin first.`);
}

/** `actor` revokes a token of this wiki (`own`: their own). */
export function checkTokenRevoke(actor: Role, own: boolean, slug: string): void {
  if (!own) requireManager(actor, slug);
}
