import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toSignature } from './commit-identity.ts';

describe('toSignature', () => {
  it('keeps ordinary identities and floors the time', () => {
    assert.deepEqual(toSignature({ name: 'Alice Example', email: 'alice@example.test' }, 1_700_000_000.7, -120), {
      name: 'Alice Example', email: 'alice@example.test', timestamp: 1_700_000_000, timezoneOffset: -120,
    });
    assert.equal(toSignature({ name: 'Zoë 😀 @handle.bsky.social', email: '' }, 0).name, 'Zoë 😀 @handle.bsky.social');
  });

  it('removes what would break the commit header', () => {
    const s = toSignature({ name: ' Bob <evil>\ncommitter x <y> 0 +0000 ', email: '<a@b>\r\n' }, 1);
    assert.equal(s.name, 'Bob evil committer x y 0 +0000');
    assert.equal(s.email, 'a@b');
    assert.equal(toSignature({ name: '<>', email: 'x' }, 1).name, 'Anonymous');
    assert.equal(toSignature({ name: 'a\u0000b\u2028c', email: 'x' }, 1).name, 'a b c');
    assert.equal(toSignature({ name: 'x', email: 'x' }, 1).timezoneOffset, 0);
  });
});
