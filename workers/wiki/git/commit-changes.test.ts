import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { commitChanges, type CommitChangesOptions, type TreeChange } from './commit-changes.ts';
import { initRepository } from './init-repository.ts';
import { listFiles, readFileAt } from './read-files.ts';
import { headCommit, updateBranch } from './refs.ts';
import { ALICE, binaryBytes, fsckStrict, git, gitBytes, lsTree, SYSTEM, tempDir } from './test-kit.test.ts';

async function newWiki(): Promise<{ gitdir: string; head: string }> {
  const gitdir = path.join(tempDir(), 'wiki.git');
  const head = await initRepository(fs, gitdir, {
    homePage: { path: 'Home.md', content: '# Home\n' },
    author: SYSTEM,
    message: 'Initial commit',
    timestamp: 1_700_000_000,
  });
  return { gitdir, head };
}

/** Commits on main and moves it, like a serialised writer would. */
async function save(gitdir: string, changes: TreeChange[], extra: Partial<CommitChangesOptions> = {}): Promise<string> {
  const parent = await headCommit(fs, gitdir);
  const result = await commitChanges(fs, gitdir, { parent, changes, author: ALICE, committer: SYSTEM, message: 'edit', ...extra });
  assert.ok(result.commit, 'expected a commit');
  await updateBranch(fs, gitdir, result.commit);
  return result.commit;
}

function isAppError(code: string): (e: unknown) => boolean {
  return (e: unknown) => e instanceof AppError && e.code === code;
}

describe('commitChanges', () => {
  it('creates nested folders that git lists, shows and fscks', async () => {
    const { gitdir, head } = await newWiki();
    const result = await commitChanges(fs, gitdir, {
      parent: head,
      changes: [
        { path: 'Projects/Alpha/Plan.md', content: '# Plan\n' },
        { path: 'Projects/Alpha.md', content: '# Alpha\n' },
        { path: 'Projects/Alpha/Notes/Deep/Deeper.md', content: 'deep' },
        { path: 'Über uns/Straße.md', content: 'ß' },
      ],
      author: ALICE,
      committer: SYSTEM,
      message: '[api] Create: Projects/Alpha/Plan',
      timestamp: 1_700_000_100,
    });
    assert.ok(result.commit);
    assert.deepEqual(result.changed, ['Projects/Alpha.md', 'Projects/Alpha/Notes/Deep/Deeper.md', 'Projects/Alpha/Plan.md', 'Über uns/Straße.md']);
    assert.ok(result.diff.every((d) => d.status === 'added' && d.newOid && !d.oldOid));
    // Not on the branch until the caller moves it.
    assert.equal(await headCommit(fs, gitdir), head);
    await updateBranch(fs, gitdir, result.commit);

    fsckStrict(gitdir);
    const files = lsTree(gitdir, 'main');
    assert.deepEqual([...files.keys()].sort(), [
      'Home.md', 'Projects/Alpha.md', 'Projects/Alpha/Notes/Deep/Deeper.md', 'Projects/Alpha/Plan.md', 'Über uns/Straße.md',
    ]);
    assert.equal(git(['--git-dir', gitdir, 'show', 'main:Projects/Alpha/Plan.md']), '# Plan\n');
    assert.equal(git(['--git-dir', gitdir, 'log', '-1', '--format=%P|%an|%cn|%at|%s', 'main']).trim(),
      `${head}|Alice Example|robot.wtf|1700000100|[api] Create: Projects/Alpha/Plan`);
    for (const d of result.diff) assert.equal(files.get(d.path), d.newOid);
  });

  it('prunes folders a deletion empties, up to the root', async () => {
    const { gitdir } = await newWiki();
    await save(gitdir, [
      { path: 'A/B/C/Only.md', content: 'only' },
      { path: 'A/Keep.md', content: 'keep' },
    ]);
    const c = await commitChanges(fs, gitdir, {
      parent: await headCommit(fs, gitdir),
      changes: [{ path: 'A/B/C/Only.md', delete: true }],
      author: ALICE,
      message: '[api] Delete: A/B/C/Only',
    });
    assert.ok(c.commit);
    assert.deepEqual(c.diff, [{ path: 'A/B/C/Only.md', status: 'deleted', oldOid: c.diff[0]?.oldOid }]);
    await updateBranch(fs, gitdir, c.commit);
    fsckStrict(gitdir);
    assert.deepEqual([...lsTree(gitdir, 'main').keys()].sort(), ['A/Keep.md', 'Home.md']);
    assert.equal(git(['--git-dir', gitdir, 'ls-tree', '--name-only', 'main', 'A/']).trim(), 'A/Keep.md');

    // Delete everything: the root tree becomes git's empty tree, still a valid commit.
    await save(gitdir, [{ path: 'A/Keep.md', delete: true }, { path: 'Home.md', delete: true }]);
    fsckStrict(gitdir);
    assert.equal(git(['--git-dir', gitdir, 'rev-parse', 'main^{tree}']).trim(), '4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });

  it('renames a page together with its attachment folder and subpages in one commit', async () => {
    const { gitdir } = await newWiki();
    const pdf = binaryBytes(5000, 7);
    await save(gitdir, [
      { path: 'Another/Test.md', content: '# Test\n' },
      { path: 'Another/Test/report.pdf', content: pdf },
      { path: 'Another/Test/diagram.png', content: binaryBytes(300, 3) },
      { path: 'Another/Test/Sub.md', content: '# Sub\n' },
    ]);
    const before = await headCommit(fs, gitdir);
    assert.ok(before);
    const moved = (await listFiles(fs, gitdir, before)).filter((f) => f.path.startsWith('Another/Test/'));
    const result = await commitChanges(fs, gitdir, {
      parent: before,
      changes: [
        { path: 'Another/Test.md', delete: true },
        { path: 'Another/Test', delete: true, recursive: true },
        { path: 'Renamed/Best_Test.md', content: '# Test\n' },
        ...moved.map((f) => ({ path: f.path.replace('Another/Test/', 'Renamed/Best_Test/'), oid: f.oid })),
      ],
      author: ALICE,
      message: 'Renamed Another/Test to Renamed/Best_Test.',
    });
    assert.ok(result.commit);
    await updateBranch(fs, gitdir, result.commit);
    fsckStrict(gitdir);
    assert.deepEqual([...lsTree(gitdir, 'main').keys()].sort(), [
      'Home.md', 'Renamed/Best_Test.md', 'Renamed/Best_Test/Sub.md', 'Renamed/Best_Test/diagram.png', 'Renamed/Best_Test/report.pdf',
    ]);
    const status = git(['--git-dir', gitdir, 'show', '-M', '--format=', '--name-status', 'main']).trim().split('\n').sort();
    assert.deepEqual(status, [
      'R100\tAnother/Test.md\tRenamed/Best_Test.md',
      'R100\tAnother/Test/Sub.md\tRenamed/Best_Test/Sub.md',
      'R100\tAnother/Test/diagram.png\tRenamed/Best_Test/diagram.png',
      'R100\tAnother/Test/report.pdf\tRenamed/Best_Test/report.pdf',
    ]);
    assert.equal(result.changed.length, 8);
    assert.deepEqual(gitBytes(['--git-dir', gitdir, 'cat-file', 'blob', 'main:Renamed/Best_Test/report.pdf']), Buffer.from(pdf));
  });

  it('returns commit null when nothing changes', async () => {
    const { gitdir, head } = await newWiki();
    const base = { parent: head, author: ALICE, message: 'noop' };
    const noops: TreeChange[][] = [
      [],
      [{ path: 'Home.md', content: '# Home\n' }],
      [{ path: 'Home.md', content: new TextEncoder().encode('# Home\n') }],
      [{ path: 'Missing.md', delete: true }],
      [{ path: 'No/Such/Folder', delete: true, recursive: true }],
      [{ path: 'Home.md/child.md', delete: true }],
      [{ path: 'Home2.md', content: 'added then deleted' }, { path: 'Home2.md', delete: true }],
      [{ path: 'Home.md', delete: true }, { path: 'Home.md', content: '# Home\n' }],
    ];
    for (const changes of noops) {
      const r = await commitChanges(fs, gitdir, { ...base, changes });
      assert.equal(r.commit, null, JSON.stringify(changes));
      assert.deepEqual(r.changed, []);
    }
    // Delete and re-add the same content in one commit: no change either.
    const { oid } = (await readFileAt(fs, gitdir, head, 'Home.md')) ?? { oid: '' };
    const r = await commitChanges(fs, gitdir, { ...base, changes: [{ path: 'Home.md', delete: true }, { path: 'Copy.md', oid }] });
    assert.ok(r.commit);
    assert.deepEqual(r.diff.map((d) => `${d.status} ${d.path}`), ['added Copy.md', 'deleted Home.md']);
    // A first commit with nothing in it is no commit.
    const empty = await commitChanges(fs, gitdir, { parent: null, changes: [], author: ALICE, message: 'x' });
    assert.equal(empty.commit, null);
    assert.equal(git(['--git-dir', gitdir, 'rev-list', '--count', 'main']).trim(), '1');
  });

  it('sorts tree entries exactly as git does', async () => {
    const { gitdir } = await newWiki();
    // "a" as a folder sorts as "a/", after "a-b" and "a.md" but before "a0"; bytes decide beyond ASCII.
    const names = ['a/x.md', 'a.md', 'a-b.md', 'a0.md', 'a b.md', 'A.md', 'a_b.md', 'b/a.md', 'b.md', 'é.md', 'z.md',
      '\uFFFD.md', '😀.md', '\uE000.md', 'ab/c.md', 'a!/c.md', 'a~.md'];
    await save(gitdir, names.map((p) => ({ path: p, content: p })));
    fsckStrict(gitdir);
    assert.deepEqual([...lsTree(gitdir, 'main').keys()].sort(), [...names, 'Home.md'].sort());
    // One more commit editing inside "a/" rewrites the sorted root without complaint.
    await save(gitdir, [{ path: 'a/y.md', content: 'y' }, { path: 'a.md', delete: true }]);
    fsckStrict(gitdir);
  });

  it('round-trips binary attachments byte for byte', async () => {
    const { gitdir } = await newWiki();
    const blobs: Record<string, Uint8Array> = {
      'Photos/cat.jpg': binaryBytes(200_000, 11),
      'Photos/zeros.bin': new Uint8Array(4096),
      'Photos/empty.txt': new Uint8Array(0),
      'Photos/crlf.txt': new TextEncoder().encode('line\r\nline\r\n\0tail'),
      'Photos/invalid-utf8.bin': new Uint8Array([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
    };
    const commit = await save(gitdir, Object.entries(blobs).map(([p, content]) => ({ path: p, content })));
    fsckStrict(gitdir);
    for (const [p, bytes] of Object.entries(blobs)) {
      const file = await readFileAt(fs, gitdir, commit, p);
      assert.ok(file, p);
      assert.deepEqual(file.content, bytes, p);
      assert.equal(file.mode, '100644');
      assert.deepEqual(new Uint8Array(gitBytes(['--git-dir', gitdir, 'cat-file', 'blob', `main:${p}`])), bytes, p);
    }
    // Strings are stored verbatim as UTF-8: no trailing newline added, CRLF kept.
    const text = 'no newline at end\r\nünïcödé 😀';
    const c2 = await save(gitdir, [{ path: 'Text.md', content: text }]);
    assert.equal(new TextDecoder().decode((await readFileAt(fs, gitdir, c2, 'Text.md'))?.content), text);
  });

  it('refuses paths git cannot hold, repeated paths and file/folder clashes', async () => {
    const { gitdir, head } = await newWiki();
    await save(gitdir, [{ path: 'Folder/Page.md', content: 'x' }]);
    const parent = await headCommit(fs, gitdir);
    const attempt = (changes: TreeChange[]): Promise<unknown> => commitChanges(fs, gitdir, { parent, changes, author: ALICE, message: 'x' });
    for (const bad of ['', '/abs.md', 'trailing/', 'a//b.md', '../x.md', 'a/./b.md', '.git/config', 'x/.GIT/y', '.git./x', 'git~1/x', 'a\0b',
      'lone\uD800.md']) {
      await assert.rejects(attempt([{ path: bad, content: 'x' }]), isAppError('invalid'), JSON.stringify(bad));
    }
    await assert.rejects(attempt([{ path: 'a.md', content: '1' }, { path: 'a.md', content: '2' }]), isAppError('invalid'));
    await assert.rejects(attempt([{ path: 'Folder', content: 'file over folder' }]), isAppError('conflict'));
    await assert.rejects(attempt([{ path: 'Folder/Page.md/child.md', content: 'folder in file' }]), isAppError('conflict'));
    await assert.rejects(attempt([{ path: 'Folder', delete: true }]), isAppError('invalid'));
    await assert.rejects(attempt([{ path: 'x.md', oid: 'f'.repeat(40) }]), isAppError('not_found'));
    await assert.rejects(attempt([{ path: 'x.md', oid: 'nope' }]), isAppError('invalid'));
    await assert.rejects(commitChanges(fs, gitdir, { parent: 'e'.repeat(40), changes: [], author: ALICE, message: 'x' }), isAppError('not_found'));
    await assert.rejects(commitChanges(fs, gitdir, { parent: 'HEAD', changes: [], author: ALICE, message: 'x' }), isAppError('invalid'));
    // Replacing a folder is fine when the folder is deleted first in the same commit.
    const ok = await commitChanges(fs, gitdir, {
      parent, changes: [{ path: 'Folder', delete: true, recursive: true }, { path: 'Folder', content: 'now a file' }], author: ALICE, message: 'x',
    });
    assert.ok(ok.commit);
    await updateBranch(fs, gitdir, ok.commit);
    fsckStrict(gitdir);
    assert.deepEqual([...lsTree(gitdir, 'main').keys()].sort(), ['Folder', 'Home.md']);
    assert.notEqual(ok.commit, head);
  });

  it('cleans identities git would refuse and keeps messages', async () => {
    const { gitdir } = await newWiki();
    await save(gitdir, [{ path: 'P.md', content: 'x' }], {
      author: { name: 'Bob <3 >:)\nInjected: header', email: '<bob@example.test>' },
      committer: { name: '', email: '' },
      message: '[mcp] multi-line\n\nbody with <angle> brackets\n',
    });
    fsckStrict(gitdir);
    assert.equal(git(['--git-dir', gitdir, 'log', '-1', '--format=%an|%ae|%cn|%ce', 'main']).trim(),
      'Bob 3 :) Injected: header|bob@example.test|Anonymous|');
    assert.equal(git(['--git-dir', gitdir, 'log', '-1', '--format=%B', 'main']).trim(), '[mcp] multi-line\n\nbody with <angle> brackets');
  });

  it('keeps an executable bit and overwrites attachments in place', async () => {
    const dir = tempDir();
    const work = path.join(dir, 'work');
    git(['init', '--quiet', '-b', 'main', work]);
    fs.writeFileSync(path.join(work, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    git(['-C', work, 'add', '.']);
    git(['-C', work, 'commit', '--quiet', '-m', 'exec']);
    const gitdir = path.join(dir, 'bare.git');
    git(['clone', '--quiet', '--bare', work, gitdir]);
    await save(gitdir, [{ path: 'run.sh', content: '#!/bin/sh\necho hi\n' }]);
    fsckStrict(gitdir);
    assert.match(git(['--git-dir', gitdir, 'ls-tree', 'main', 'run.sh']), /^100755 blob /);
  });

  it('stays fsck-clean over 200 sequential commits', async () => {
    const { gitdir } = await newWiki();
    const times: number[] = [];
    const pages = 40;
    for (let i = 0; i < 200; i++) {
      const folder = `Folder_${i % 7}/Sub_${i % 3}`;
      const changes: TreeChange[] = [{ path: `${folder}/Page_${i % pages}.md`, content: `# Page ${i % pages}\n\nrevision ${i}\n${'x'.repeat(2000)}\n` }];
      if (i % 10 === 9) changes.push({ path: `${folder}/Page_${i % pages}/file_${i}.bin`, content: binaryBytes(1024, i + 1) });
      if (i % 25 === 24) changes.push({ path: `Folder_${(i + 1) % 7}/Sub_${(i + 1) % 3}/Page_${(i + 1) % pages}.md`, delete: true });
      const started = performance.now();
      await save(gitdir, changes, { message: `edit ${i}`, timestamp: 1_700_000_000 + i });
      times.push(performance.now() - started);
    }
    fsckStrict(gitdir);
    assert.equal(git(['--git-dir', gitdir, 'rev-list', '--count', 'main']).trim(), '201');
    const clone = path.join(tempDir(), 'clone');
    git(['clone', '--quiet', gitdir, clone]);
    assert.equal(git(['-C', clone, 'status', '--porcelain']).trim(), '');
    const sorted = [...times].sort((a, b) => a - b);
    const avg = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(`# 200 commits: avg ${avg.toFixed(2)} ms, p50 ${sorted[100]?.toFixed(2)} ms, p95 ${sorted[190]?.toFixed(2)} ms (commitChanges + updateBranch, Node fs)`);
  });
});
