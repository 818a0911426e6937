/** What each member role may do. Pure policy, shared by every worker and the CLI. */
import type { Role, TokenScope } from '../../db/schema.ts';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

/** True when `role` is at least `min`. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** The credential scopes a member with `role` may hold. */
export function scopesForRole(role: Role): TokenScope[] {
  return roleAtLeast(role, 'editor') ? ['read', 'write'] : ['read'];
}
