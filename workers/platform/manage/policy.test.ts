import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Role } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { canManage, checkAdd, checkRemoval, checkRoleChange, checkTokenRevoke, checkTransfer } from './policy.ts';

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const ROLES: Role[] = ['owner', 'admin', 'editor', 'viewer'];

it('lets owners and admins manage, nobody else', () => {
  assert.deepEqual(ROLES.filter(canManage), ['owner', 'admin']);
  for (const actor of ['editor', 'viewer'] as const) {
    assert.throws(() => checkAdd(actor, 'viewer', 'w'), refused('forbidden'));
    assert.throws(() => checkRoleChange(actor, 'viewer', 'editor', 'w'), refused('forbidden'));
    assert.throws(() => checkRemoval(actor, 'viewer', false, 'w'), refused('forbidden'));
    assert.throws(() => checkTokenRevoke(actor, false, 'w'), refused('forbidden'));
    checkTokenRevoke(actor, true, 'w');
  }
  checkAdd('admin', 'admin', 'w');
  checkRoleChange('admin', 'admin', 'viewer', 'w');
  checkRemoval('admin', 'admin', false, 'w');
});

it('never makes an owner by a role change, and never demotes or removes the owner', () => {
  for (const actor of ['owner', 'admin'] as const) {
    assert.throws(() => checkAdd(actor, 'owner', 'w'), refused('forbidden'));
    assert.throws(() => checkRoleChange(actor, 'editor', 'owner', 'w'), refused('forbidden'));
    assert.throws(() => checkRoleChange(actor, 'owner', 'admin', 'w'), refused('forbidden'));
  }
  assert.throws(() => checkRemoval('admin', 'owner', false, 'w'), refused('forbidden'));
  assert.throws(() => checkRemoval('owner', 'owner', true, 'w'), refused('conflict'), 'the owner cannot leave');
});

it('lets anyone but the owner leave', () => {
  for (const role of ['admin', 'editor', 'viewer'] as const) checkRemoval(role, role, true, 'w');
});

it('hands a wiki on only from its owner, only to an admin', () => {
  checkTransfer('owner', 'admin', 'w');
  assert.throws(() => checkTransfer('admin', 'admin', 'w'), refused('forbidden'));
  assert.throws(() => checkTransfer('owner', 'editor', 'w'), refused('conflict'));
  assert.throws(() => checkTransfer('owner', null, 'w'), refused('conflict'));
});
