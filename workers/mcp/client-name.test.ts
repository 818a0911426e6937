import assert from 'node:assert/strict';
import { it } from 'node:test';
import { clientName, withClient } from './client-name.ts';

it('names Claude\'s clients from their User-Agent or clientInfo', () => {
  assert.equal(clientName({ userAgent: 'claude-code/2.1.96 (cli)' }), 'Claude Code');
  assert.equal(clientName({ userAgent: 'Claude-User' }), 'Claude.ai');
  assert.equal(clientName({ clientInfoName: 'Anthropic/ClaudeAI' }), 'Claude.ai');
  assert.equal(clientName({ clientInfoName: 'claude-code', userAgent: 'node' }), 'Claude Code');
});

it('falls back to the first product of any other User-Agent, cleaned and clipped', () => {
  assert.equal(clientName({ userAgent: 'Cursor/1.2 (darwin)' }), 'Cursor');
  assert.equal(clientName({ clientInfoName: 'My\nAgent\u202e' }), 'My Agent');
  assert.equal(clientName({ clientInfoName: 'x'.repeat(100) })!.length, 60);
  assert.equal(clientName({}), null);
  assert.equal(clientName({ userAgent: '   ' }), null);
});

it('appends the client to commit messages within the length limit', () => {
  assert.equal(withClient('Update Plan', 'Claude Code'), 'Update Plan (via Claude Code)');
  assert.equal(withClient('Update Plan', null), 'Update Plan');
  const long = withClient('m'.repeat(3000), 'Claude Code', 2000);
  assert.equal(long.length, 2000);
  assert.match(long, /… \(via Claude Code\)$/);
});
