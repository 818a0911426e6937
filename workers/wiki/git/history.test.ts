/**
 * diffCommits, commitsBetween, readFileAt and listFiles against a repository
 * written by the git CLI (the shape of an imported robot.wtf wiki): legacy
 * file names with spaces, nested pages, attachments, a merge, clock skew,
 * packed and loose objects.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { attachmentOwner } from '../pages/attachments.ts';
import { bestPageFile, pageKeyFromFilePath } from '../pages/page-files.ts';
import { commitChanges } from './commit-changes.ts';
import { commitsBetween } from './commits-between.ts';
import { diffCommits, type FileDiff } from './diff-trees.ts';
import { EMPTY_TREE_OID } from './git-fs.ts';
import { listFiles, readFileAt } from './read-files.ts';
import { headCommit } from './refs.ts';
import { binaryBytes, git, gitBytes, lsTree, tempDir, writeFiles } from './test-kit.test.ts';

const revs: Record<string, string> = {};
let work = '';
let packed = '';

function commitAll(message: string, time: number, author = 'CLI Author'): void {
  const date = `@${time} +0000`;
  git(['-C', work, 'add', '-A']);
  git(['-C', work, 'commit', '--quiet', '-m', message], {
    env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: author },
  });
}

function rev(name: string): string {
  return git(['-C', work, 'rev-parse', name]).trim();
}

before(() => {
  const dir = tempDir();
  work = path.join(dir, 'work');
  git(['init', '--quiet', '-b', 'main', work]);
  writeFiles(work, {
    'Home.md': '# Home\n',
    'Actors/Iran Strategy.md': '# Iran Strategy\n',
    'Actors/Iran Strategy/map.png': binaryBytes(3000, 5),
    'My Folder/Sub Page.md': 'sub',
    'initial_home.md': 'legacy',
  });
  commitAll('Initial commit', 1000, 'Otterwiki Robot');
  revs.c1 = rev('HEAD');

  writeFiles(work, {
    'Home.md': '# Home\n\nEdited.\n',
    'Projects/Alpha.md': '# Alpha\n',
    'Projects/Alpha/Plan.md': '# Plan\n',
    'Projects/Alpha/spec sheet.pdf': binaryBytes(70_000, 9),
  });
  commitAll('[api] Create: Projects/Alpha', 2000);
  revs.c2 = rev('HEAD');

  git(['-C', work, 'checkout', '--quiet', '-b', 'feature']);
  writeFiles(work, { 'Feature/Idea.md': 'idea', 'Projects/Alpha/Plan.md': '# Plan\n\nv2\n' });
  commitAll('feature 1', 3000);
  revs.f1 = rev('HEAD');
  fs.rmSync(path.join(work, 'My Folder'), { recursive: true });
  writeFiles(work, { 'Feature/Idea/sketch.svg': '<svg/>' });
  commitAll('feature 2', 5000);
  revs.f2 = rev('HEAD');

  git(['-C', work, 'checkout', '--quiet', 'main']);
  writeFiles(work, { 'Actors/Iran Strategy.md': '# Iran Strategy\n\nUpdated.\n', 'Notes.md': 'notes' });
  commitAll('main 1', 4000);
  revs.m1 = rev('HEAD');
  git(['-C', work, 'merge', '--quiet', '--no-ff', '-m', 'Merge feature', 'feature'], {
    env: { GIT_AUTHOR_DATE: '@6000 +0000', GIT_COMMITTER_DATE: '@6000 +0000' },
  });
  revs.merge = rev('HEAD');

  git(['-C', work, 'mv', 'Actors/Iran Strategy.md', 'Actors/Iran_Strategy.md']);
  git(['-C', work, 'mv', 'Actors/Iran Strategy', 'Actors/Iran_Strategy']);
  commitAll('Renamed Actors/Iran Strategy to Actors/Iran_Strategy.', 7000);
  revs.c3 = rev('HEAD');
  // Clock skew: a commit dated before its parent, then a normal one.
  writeFiles(work, { 'Notes.md': 'notes v2' });
  commitAll('skewed', 400);
  revs.c4 = rev('HEAD');
  writeFiles(work, { 'Home.md': '# Home\n\nAgain.\n' });
  commitAll('after skew', 8000);
  revs.c5 = rev('HEAD');

  packed = path.join(dir, 'packed.git');
  git(['clone', '--quiet', '--bare', '--no-local', work, packed]);
  assert.ok(fs.readdirSync(path.join(packed, 'objects/pack')).some((f) => f.endsWith('.pack')), 'clone made a pack');
});

function gitDiff(gitdir: string, from: string | null, to: string): FileDiff[] {
  const olds = from === null ? new Map<string, string>() : lsTree(gitdir, from);
  const news = lsTree(gitdir, to);
  const out = git(['--git-dir', gitdir, 'diff-tree', '-r', '-z', '--no-commit-id', '--no-renames', '--name-status', from ?? EMPTY_TREE_OID, to]);
  const parts = out.split('\0').filter((p) => p !== '');
  const diffs: FileDiff[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i];
    const file = parts[i + 1] ?? '';
    if (status === 'A') diffs.push({ path: file, status: 'added', newOid: news.get(file) ?? '' });
    else if (status === 'D') diffs.push({ path: file, status: 'deleted', oldOid: olds.get(file) ?? '' });
    else diffs.push({ path: file, status: 'modified', oldOid: olds.get(file) ?? '', newOid: news.get(file) ?? '' });
  }
  return diffs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const PAIRS: Array<[string | null, string]> = [
  [null, 'c1'], [null, 'c5'], ['c1', 'c2'], ['c2', 'f2'], ['c2', 'merge'], ['m1', 'merge'], ['f2', 'merge'], ['f2', 'm1'],
  ['m1', 'f2'], ['c1', 'c5'], ['merge', 'c5'], ['c3', 'c5'], ['c4', 'c5'], ['c5', 'c1'], ['c5', 'c5'],
];

describe('diffCommits against git diff-tree', () => {
  for (const gitdirName of ['packed', 'loose']) {
    it(`matches git for every pair (${gitdirName} objects)`, async () => {
      const gitdir = gitdirName === 'packed' ? packed : path.join(work, '.git');
      for (const [from, to] of PAIRS) {
        const a = from === null ? null : revs[from] ?? '';
        const b = revs[to] ?? '';
        assert.deepEqual(await diffCommits(fs, gitdir, a, b), gitDiff(gitdir, a, b), `${from}..${to}`);
      }
    });
  }

  it('reports legacy names with spaces and the rename to underscores', async () => {
    const diff = await diffCommits(fs, packed, revs.merge ?? '', revs.c3 ?? '');
    assert.deepEqual(diff.map((d) => `${d.status} ${d.path}`), [
      'deleted Actors/Iran Strategy.md',
      'deleted Actors/Iran Strategy/map.png',
      'added Actors/Iran_Strategy.md',
      'added Actors/Iran_Strategy/map.png',
    ]);
    assert.equal(diff[1]?.oldOid, diff[3]?.newOid);
  });
});

describe('commitsBetween against git rev-list', () => {
  it('returns the same commits, parents first, for every pair', async () => {
    for (const [from, to] of PAIRS) {
      const a = from === null ? null : revs[from] ?? '';
      const b = revs[to] ?? '';
      const range = a === null ? [b] : [`${a}..${b}`];
      const expected = git(['--git-dir', packed, 'rev-list', ...range]).trim().split('\n').filter(Boolean);
      const got = await commitsBetween(fs, packed, a, b);
      assert.deepEqual(got.map((c) => c.oid).sort(), [...expected].sort(), `${from}..${to}`);
      const position = new Map(got.map((c, i) => [c.oid, i]));
      for (const c of got) {
        for (const p of c.parents) {
          if (position.has(p)) assert.ok((position.get(p) ?? 0) < (position.get(c.oid) ?? 0), `${from}..${to}: parent after child`);
        }
      }
    }
  });

  it('orders by time where topology allows, and diffs each commit against its first parent', async () => {
    const got = await commitsBetween(fs, packed, null, revs.c3 ?? '');
    const names = Object.fromEntries(Object.entries(revs).map(([k, v]) => [v, k]));
    assert.deepEqual(got.map((c) => names[c.oid]), ['c1', 'c2', 'f1', 'm1', 'f2', 'merge', 'c3']);
    for (const c of got) {
      const first = c.parents[0] ?? null;
      assert.deepEqual(c.changed, gitDiff(packed, first, c.oid), names[c.oid]);
    }
    const merge = got.find((c) => c.oid === revs.merge);
    assert.ok(merge);
    assert.deepEqual(merge.parents, [revs.m1, revs.f2]);
    assert.deepEqual(merge.changed.map((d) => `${d.status} ${d.path}`), [
      'added Feature/Idea.md', 'added Feature/Idea/sketch.svg', 'deleted My Folder/Sub Page.md', 'modified Projects/Alpha/Plan.md',
    ]);
    assert.equal(merge.message, 'Merge feature');
    const root = got[0];
    assert.ok(root);
    assert.deepEqual(root.parents, []);
    assert.deepEqual(root.author, { name: 'Otterwiki Robot', email: 'cli@example.test', timestamp: 1000, timezoneOffset: 0 });
    assert.equal(root.committer.name, 'CLI Committer');
    assert.equal(root.message, 'Initial commit');
    assert.ok(root.changed.some((d) => d.path === 'Actors/Iran Strategy/map.png' && d.status === 'added'));
  });

  it('handles clock skew like git', async () => {
    const got = await commitsBetween(fs, packed, revs.merge ?? '', revs.c5 ?? '');
    assert.deepEqual(got.map((c) => c.oid), [revs.c3, revs.c4, revs.c5]);
  });

  it('throws not_found for a commit the repository lacks', async () => {
    await assert.rejects(commitsBetween(fs, packed, 'a'.repeat(40), revs.c5 ?? ''), /does not exist/);
  });
});

describe('reading an imported repository', () => {
  it('lists every file like git ls-tree and reads binaries byte for byte from packs', async () => {
    for (const name of ['c1', 'c2', 'merge', 'c5']) {
      const oid = revs[name] ?? '';
      const files = await listFiles(fs, packed, oid);
      assert.deepEqual(new Map(files.map((f) => [f.path, f.oid])), lsTree(packed, oid), name);
      for (const f of files) assert.equal(f.mode, '100644');
    }
    for (const p of ['Actors/Iran Strategy/map.png', 'Projects/Alpha/spec sheet.pdf', 'Home.md']) {
      const file = await readFileAt(fs, packed, revs.c2 ?? '', p);
      assert.ok(file, p);
      assert.deepEqual(Buffer.from(file.content), gitBytes(['--git-dir', packed, 'cat-file', 'blob', `${revs.c2}:${p}`]), p);
    }
    assert.equal(await readFileAt(fs, packed, revs.c2 ?? '', 'Missing.md'), null);
    assert.equal(await readFileAt(fs, packed, revs.c2 ?? '', 'Projects/Alpha'), null, 'a folder is not a file');
    assert.equal(await readFileAt(fs, packed, revs.c2 ?? '', 'Home.md/x'), null, 'nothing below a file');
    assert.equal(await headCommit(fs, packed), revs.c5);
  });

  it('moves a legacy page and its packed attachments to underscore names without re-reading them', async () => {
    const head = revs.c2 ?? '';
    const files = await listFiles(fs, packed, head);
    const folder = files.filter((f) => f.path.startsWith('Actors/Iran Strategy/'));
    const page = files.find((f) => f.path === 'Actors/Iran Strategy.md');
    assert.ok(page && folder.length === 1);
    const r = await commitChanges(fs, packed, {
      parent: head,
      changes: [
        { path: 'Actors/Iran Strategy.md', delete: true },
        { path: 'Actors/Iran Strategy', delete: true, recursive: true },
        { path: 'Actors/Iran_Strategy.md', oid: page.oid },
        ...folder.map((f) => ({ path: f.path.replace('Iran Strategy/', 'Iran_Strategy/'), oid: f.oid })),
      ],
      author: { name: 'Importer', email: 'import@example.test' },
      message: 'Normalise legacy names',
    });
    assert.ok(r.commit);
    assert.deepEqual(r.changed, ['Actors/Iran Strategy.md', 'Actors/Iran Strategy/map.png', 'Actors/Iran_Strategy.md', 'Actors/Iran_Strategy/map.png']);
    const after = lsTree(packed, r.commit);
    assert.equal(after.get('Actors/Iran_Strategy/map.png'), folder[0]?.oid);
    assert.equal(git(['--git-dir', packed, 'cat-file', '-t', r.commit]).trim(), 'commit');
    assert.equal(git(['--git-dir', packed, 'rev-parse', `${r.commit}^`]).trim(), head);
  });

  it('resolves legacy-space pages and their attachments through the page rules', async () => {
    const files = await listFiles(fs, packed, revs.c2 ?? '');
    const paths = new Set(files.map((f) => f.path));
    assert.equal(bestPageFile('Actors/Iran_Strategy', paths), 'Actors/Iran Strategy.md');
    assert.equal(bestPageFile('My_Folder/Sub_Page', paths), 'My Folder/Sub Page.md');
    const pages = files.map((f) => pageKeyFromFilePath(f.path)).filter((k) => k !== null).sort();
    assert.deepEqual(pages, ['Actors/Iran_Strategy', 'Home', 'My_Folder/Sub_Page', 'Projects/Alpha', 'Projects/Alpha/Plan', 'initial_home']);
    const attachments = files.filter((f) => attachmentOwner(f.path) !== null).map((f) => `${attachmentOwner(f.path)} ← ${f.path}`).sort();
    assert.deepEqual(attachments, [
      'Actors/Iran_Strategy ← Actors/Iran Strategy/map.png',
      'Projects/Alpha ← Projects/Alpha/spec sheet.pdf',
    ]);
  });
});
