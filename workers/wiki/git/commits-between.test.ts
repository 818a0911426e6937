import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { commitChanges } from './commit-changes.ts';
import { commitsBetween } from './commits-between.ts';
import { initRepository } from './init-repository.ts';
import { ALICE, countingFs, git, SYSTEM, tempDir } from './test-kit.test.ts';

describe('commitsBetween on a long linear history', () => {
  it('reads little more than the range, and the whole history when asked', async () => {
    const gitdir = path.join(tempDir(), 'long.git');
    let head = await initRepository(fs, gitdir, { homePage: { path: 'Home.md', content: '# Home\n' }, author: SYSTEM, message: 'Initial commit', timestamp: 1_700_000_000 });
    const all = [head];
    for (let i = 1; i <= 300; i++) {
      const r = await commitChanges(fs, gitdir, {
        parent: head,
        changes: [{ path: `Pages/P${i % 30}.md`, content: `rev ${i}` }],
        author: ALICE,
        committer: SYSTEM,
        message: `[api] Update: Pages/P${i % 30}\n`,
        timestamp: 1_700_000_000 + i,
      });
      assert.ok(r.commit);
      head = r.commit;
      all.push(head);
    }

    const counting = countingFs();
    const from = all[295] ?? '';
    const started = performance.now();
    const recent = await commitsBetween(counting.fs, gitdir, from, head);
    const recentMs = performance.now() - started;
    assert.deepEqual(recent.map((c) => c.oid), all.slice(296));
    assert.deepEqual(recent.map((c) => c.message), [296, 297, 298, 299, 300].map((i) => `[api] Update: Pages/P${i % 30}`));
    assert.deepEqual(recent[0]?.changed.map((d) => `${d.status} ${d.path}`), ['modified Pages/P26.md']);
    assert.deepEqual(recent[0]?.author, { ...ALICE, timestamp: 1_700_000_296, timezoneOffset: 0 });
    assert.equal(recent[0]?.committer.name, SYSTEM.name);
    // 5 commits in range + 1 (from) + slop 5, and the trees their diffs need.
    assert.ok(counting.objectReads() < 40, `read ${counting.objectReads()} objects`);

    const fullStarted = performance.now();
    const everything = await commitsBetween(fs, gitdir, null, head);
    const fullMs = performance.now() - fullStarted;
    assert.deepEqual(everything.map((c) => c.oid), all);
    assert.deepEqual(everything[0]?.changed.map((d) => `${d.status} ${d.path}`), ['added Home.md']);
    assert.deepEqual(git(['--git-dir', gitdir, 'rev-list', '--reverse', head]).trim().split('\n'), all);

    assert.deepEqual(await commitsBetween(fs, gitdir, head, all[290] ?? ''), [], 'nothing when to is behind from');
    assert.deepEqual(await commitsBetween(fs, gitdir, head, head), []);
    console.log(`# commitsBetween: last 5 of 301 commits ${recentMs.toFixed(1)} ms (${counting.objectReads()} object reads); all 301 with diffs ${fullMs.toFixed(0)} ms`);
  });
});
