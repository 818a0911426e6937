import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { commitChanges, type TreeChange } from './commit-changes.ts';
import { diffCommits, pairEntries } from './diff-trees.ts';
import { listFiles } from './read-files.ts';
import { ALICE, countingFs, git, tempDir } from './test-kit.test.ts';

async function commit(gitdir: string, parent: string | null, changes: TreeChange[]): Promise<string> {
  const r = await commitChanges(fs, gitdir, { parent, changes, author: ALICE, message: 'x', timestamp: 1_700_000_000 });
  assert.ok(r.commit);
  return r.commit;
}

describe('diffCommits', () => {
  it('reads only the trees on the changed path of a big tree', async () => {
    const gitdir = path.join(tempDir(), 'big.git');
    git(['init', '--quiet', '--bare', '-b', 'main', gitdir]);
    const files: TreeChange[] = [];
    for (let a = 0; a < 20; a++) {
      for (let b = 0; b < 10; b++) {
        for (let c = 0; c < 10; c++) files.push({ path: `Area_${a}/Topic_${b}/Page_${c}.md`, content: `# ${a}/${b}/${c}\n` });
      }
    }
    const base = await commit(gitdir, null, files);
    const next = await commit(gitdir, base, [{ path: 'Area_7/Topic_3/Page_5.md', content: 'changed' }, { path: 'Area_19/New.md', content: 'new' }]);

    const counting = countingFs();
    const started = performance.now();
    const diff = await diffCommits(counting.fs, gitdir, base, next);
    const diffMs = performance.now() - started;
    assert.deepEqual(diff.map((d) => `${d.status} ${d.path}`), ['added Area_19/New.md', 'modified Area_7/Topic_3/Page_5.md']);
    // 2 commits + 2 roots + Area_7, Area_7/Topic_3 and Area_19 on each side = 10 objects out of ~2,400.
    assert.ok(counting.objectReads() <= 10, `read ${counting.objectReads()} objects`);

    counting.reset();
    const fullStarted = performance.now();
    const all = await diffCommits(counting.fs, gitdir, null, next);
    const fullMs = performance.now() - fullStarted;
    assert.equal(all.length, 2001);
    const listStarted = performance.now();
    assert.equal((await listFiles(fs, gitdir, next)).length, 2001);
    const listMs = performance.now() - listStarted;
    console.log(`# diff of 2 files in a 2,001-file tree: ${diffMs.toFixed(1)} ms; full diff from empty ${fullMs.toFixed(1)} ms; listFiles ${listMs.toFixed(1)} ms`);
  });

  it('shows a file turned into a folder as a deletion and additions', async () => {
    const gitdir = path.join(tempDir(), 'swap.git');
    git(['init', '--quiet', '--bare', '-b', 'main', gitdir]);
    const a = await commit(gitdir, null, [{ path: 'X', content: 'file' }, { path: 'Y/y.md', content: 'y' }]);
    const b = await commit(gitdir, a, [
      { path: 'X', delete: true }, { path: 'X/inner.md', content: 'inner' },
      { path: 'Y', delete: true, recursive: true }, { path: 'Y', content: 'now a file' },
    ]);
    assert.deepEqual((await diffCommits(fs, gitdir, a, b)).map((d) => `${d.status} ${d.path}`), [
      'deleted X', 'added X/inner.md', 'added Y', 'deleted Y/y.md',
    ]);
    assert.deepEqual(await diffCommits(fs, gitdir, b, b), []);
  });

  it('reports a mode-only change as modified with equal ids', async () => {
    const work = path.join(tempDir(), 'work');
    git(['init', '--quiet', '-b', 'main', work]);
    fs.writeFileSync(path.join(work, 'run.sh'), 'echo\n');
    git(['-C', work, 'add', '.']);
    git(['-C', work, 'commit', '--quiet', '-m', 'a']);
    fs.chmodSync(path.join(work, 'run.sh'), 0o755);
    git(['-C', work, 'commit', '--quiet', '-am', 'b']);
    const gitdir = path.join(work, '.git');
    const [d] = await diffCommits(fs, gitdir, git(['-C', work, 'rev-parse', 'HEAD~1']).trim(), git(['-C', work, 'rev-parse', 'HEAD']).trim());
    assert.ok(d);
    assert.equal(d.status, 'modified');
    assert.equal(d.oldOid, d.newOid);
  });
});

describe('pairEntries', () => {
  const pairs = (olds: string[], news: string[]) => {
    const out: string[] = [];
    const e = (path: string) => ({ path });
    pairEntries(olds.map(e), news.map(e), (o, n) => out.push(`${o?.path ?? '-'}:${n?.path ?? '-'}`));
    return out.sort();
  };
  it('pairs the same names, in one pass while both trees agree', () => {
    assert.deepEqual(pairs(['a', 'b', 'c'], ['a', 'b', 'c']), ['a:a', 'b:b', 'c:c']);
  });
  it('pairs names after a difference by name, and reports what only one side has', () => {
    assert.deepEqual(pairs(['a', 'b', 'd'], ['a', 'c', 'd']), ['-:c', 'a:a', 'b:-', 'd:d']);
    assert.deepEqual(pairs(['a', 'b'], ['a', 'b', 'c']), ['-:c', 'a:a', 'b:b']);
    assert.deepEqual(pairs(['a', 'b', 'c'], []), ['a:-', 'b:-', 'c:-']);
    assert.deepEqual(pairs(['c', 'b', 'a'], ['a', 'b', 'c']), ['a:a', 'b:b', 'c:c'], 'any order');
  });
});
