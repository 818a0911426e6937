import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { isNotFoundError, isOid, repoCache } from './git-fs.ts';

describe('git-fs helpers', () => {
  it('gives one cache per fs and repository', () => {
    const other = { promises: fs.promises };
    assert.equal(repoCache(fs, '/a.git'), repoCache(fs, '/a.git'));
    assert.notEqual(repoCache(fs, '/a.git'), repoCache(fs, '/b.git'));
    assert.notEqual(repoCache(fs, '/a.git'), repoCache(other, '/a.git'));
  });

  it('recognises object ids and not-found errors', () => {
    assert.ok(isOid('0123456789abcdef0123456789abcdef01234567'));
    for (const bad of ['HEAD', 'A'.repeat(40), '0'.repeat(39), '0'.repeat(41), 42]) assert.equal(isOid(bad), false);
    assert.ok(isNotFoundError(Object.assign(new Error('x'), { code: 'NotFoundError' })));
    assert.equal(isNotFoundError(Object.assign(new Error('x'), { code: 'ENOENT' })), false);
    assert.equal(isNotFoundError(null), false);
  });
});
