import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { initRepository } from './init-repository.ts';
import { readFileAt } from './read-files.ts';
import { headCommit } from './refs.ts';
import { ALICE, fsckStrict, git, SYSTEM, tempDir } from './test-kit.test.ts';

describe('initRepository', () => {
  it('creates a bare repository on main that real git recognises', async () => {
    const gitdir = path.join(tempDir(), 'wiki.git');
    const oid = await initRepository(fs, gitdir, {
      homePage: { path: 'Home.md', content: '# Home\n\nWelcome.\n' },
      author: SYSTEM,
      message: 'Initial commit',
      timestamp: 1_700_000_000,
    });
    assert.match(oid, /^[0-9a-f]{40}$/);
    assert.equal(await headCommit(fs, gitdir), oid);

    fsckStrict(gitdir);
    assert.equal(git(['--git-dir', gitdir, 'rev-parse', '--is-bare-repository']).trim(), 'true');
    assert.equal(git(['--git-dir', gitdir, 'symbolic-ref', 'HEAD']).trim(), 'refs/heads/main');
    assert.equal(git(['--git-dir', gitdir, 'rev-parse', 'HEAD']).trim(), oid);
    assert.equal(git(['--git-dir', gitdir, 'config', '--bool', 'core.ignorecase']).trim(), 'false');
    assert.equal(
      git(['--git-dir', gitdir, 'log', '--format=%an <%ae>|%cn <%ce>|%at|%s']).trim(),
      'robot.wtf <system@robot.wtf>|robot.wtf <system@robot.wtf>|1700000000|Initial commit',
    );
    assert.equal(git(['--git-dir', gitdir, 'show', 'main:Home.md']), '# Home\n\nWelcome.\n');
    assert.equal(git(['--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'main']).trim(), 'Home.md');

    const clone = path.join(tempDir(), 'clone');
    git(['clone', '--quiet', gitdir, clone]);
    assert.equal(fs.readFileSync(path.join(clone, 'Home.md'), 'utf8'), '# Home\n\nWelcome.\n');
    assert.equal(git(['-C', clone, 'rev-parse', '--abbrev-ref', 'HEAD']).trim(), 'main');
  });

  it('keeps a separate committer and reads the home page back', async () => {
    const gitdir = path.join(tempDir(), 'wiki.git');
    const oid = await initRepository(fs, gitdir, {
      homePage: { path: 'Home.md', content: new Uint8Array([0x23, 0x20, 0x48, 0x0a]) },
      author: ALICE,
      committer: SYSTEM,
      message: 'Initial commit',
    });
    assert.equal(git(['--git-dir', gitdir, 'log', '-1', '--format=%an|%cn']).trim(), 'Alice Example|robot.wtf');
    const file = await readFileAt(fs, gitdir, oid, 'Home.md');
    assert.deepEqual(file?.content, new Uint8Array([0x23, 0x20, 0x48, 0x0a]));
  });

  it('refuses to initialise a repository that already has commits', async () => {
    const gitdir = path.join(tempDir(), 'wiki.git');
    const options = { homePage: { path: 'Home.md', content: 'x' }, author: SYSTEM, message: 'Initial commit' };
    await initRepository(fs, gitdir, options);
    await assert.rejects(initRepository(fs, gitdir, options), (e: unknown) => e instanceof AppError && e.code === 'conflict');
  });

  it('reports no head commit for a missing or empty repository', async () => {
    const dir = tempDir();
    assert.equal(await headCommit(fs, path.join(dir, 'nothing.git')), null);
    git(['init', '--quiet', '--bare', '-b', 'main', path.join(dir, 'empty.git')]);
    assert.equal(await headCommit(fs, path.join(dir, 'empty.git')), null);
  });
});
