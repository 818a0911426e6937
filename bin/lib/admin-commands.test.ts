import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseCommand, parseExpiry, usage, UsageError } from './admin-commands.ts';

it('reads relative, absolute and no expiry', () => {
  const now = Date.UTC(2026, 0, 1);
  assert.equal(parseExpiry('30d', now), now + 30 * 86_400_000);
  assert.equal(parseExpiry('12h', now), now + 12 * 3_600_000);
  assert.equal(parseExpiry('never', now), null);
  assert.equal(parseExpiry('2027-01-31', now), Date.UTC(2027, 0, 31));
  for (const bad of ['soon', '30', '-1d', '31/01/2027', '']) assert.throws(() => parseExpiry(bad, now), UsageError, bad);
});

it('parses a command and its options', () => {
  const { command, positionals, values } = parseCommand(['token', 'mint', 'demo', 'alice.example', '--name', 'laptop', '--scopes', 'read']);
  assert.match(command.usage, /^token mint/);
  assert.deepEqual(positionals, ['demo', 'alice.example']);
  assert.equal(values.name, 'laptop');
});

it('answers malformed arguments with usage, not a crash', () => {
  assert.throws(() => parseCommand(['wiki', 'explode']), (e: unknown) => e instanceof UsageError && /unknown command/.test(e.message));
  assert.throws(() => parseCommand(['wiki', 'create']), (e: unknown) => e instanceof UsageError && /usage: admin wiki create/.test(e.message));
  assert.throws(() => parseCommand(['wiki', 'create', 'x', '--colour', 'red']), (e: unknown) => e instanceof UsageError && /colour/.test(e.message));
  assert.match(usage(), /token revoke <token-id>/);
});
