import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { splitGitPath } from './git-paths.ts';

describe('splitGitPath', () => {
  it('splits valid paths', () => {
    assert.deepEqual(splitGitPath('Home.md'), ['Home.md']);
    assert.deepEqual(splitGitPath('A b/C_d/é 😀.png'), ['A b', 'C_d', 'é 😀.png']);
    assert.deepEqual(splitGitPath('.gitignore'), ['.gitignore']);
    assert.deepEqual(splitGitPath('x/.github/y'), ['x', '.github', 'y']);
    assert.deepEqual(splitGitPath('a\\b'), ['a\\b']);
  });

  const bad = ['', '/', '/a', 'a/', 'a//b', '.', '..', 'a/../b', './a', '.git', '.GIT', 'a/.Git/b', '.git.', '.git ', '.git. .',
    'GIT~1', '.g\u200Cit', '.git::$INDEX_ALLOCATION', 'a\0b', 'lone\uDC00'];
  for (const path of bad) {
    it(`refuses ${JSON.stringify(path)}`, () => {
      assert.throws(() => splitGitPath(path), (e: unknown) => e instanceof AppError && e.code === 'invalid');
    });
  }
});
