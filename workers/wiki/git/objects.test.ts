import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import git, { type TreeEntry } from 'isomorphic-git';
import { ObjectBatch } from './object-batch.ts';
import { commitMessage, encodeCommit, encodeTree, inflate, loosePath, objectId, parseCommit, parseLoose, parseTree } from './objects.ts';
import { gitEnv, tempDir } from './test-kit.test.ts';

const BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'; // the empty blob
const TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'; // the empty tree

function bareRepo(): string {
  const gitdir = path.join(tempDir(), 'r.git');
  execFileSync('git', ['init', '--bare', '-q', gitdir], { env: gitEnv() });
  return gitdir;
}

/** The id git itself gives a tree of these entries (`git mktree` sorts them). */
function gitMktree(gitdir: string, entries: readonly TreeEntry[]): string {
  const input = entries.map((e) => `${e.mode === '040000' ? '040000 tree' : `${e.mode} blob`} ${e.oid}\t${e.path}`).join('\n') + '\n';
  return execFileSync('git', ['--git-dir', gitdir, 'mktree', '--missing'], { input, env: gitEnv(), encoding: 'utf8' }).trim();
}

describe('encodeTree', () => {
  it('orders entries as git does: by name bytes, folders as if their name ended in a slash', () => {
    const gitdir = bareRepo();
    // "a" the folder sorts after "a.md" ('/' > '.') but before "a0"; "Z" before "a"; é (two bytes) after ASCII.
    const entries: TreeEntry[] = [
      { mode: '100644', path: 'a0', oid: BLOB, type: 'blob' },
      { mode: '040000', path: 'a', oid: TREE, type: 'tree' },
      { mode: '100644', path: 'a.md', oid: BLOB, type: 'blob' },
      { mode: '100644', path: 'Z.md', oid: BLOB, type: 'blob' },
      { mode: '100755', path: 'run.sh', oid: BLOB, type: 'blob' },
    ];
    assert.equal(objectId('tree', encodeTree(entries)), gitMktree(gitdir, entries));
    assert.deepEqual(parseTree(encodeTree(entries)).map((e) => e.path), ['Z.md', 'a.md', 'a', 'a0', 'run.sh']);
  });

  it('orders names beyond ASCII by their UTF-8 bytes', () => {
    const gitdir = bareRepo();
    const entries: TreeEntry[] = ['é.md', 'z.md', '\u{1F600}.md', '\uFB01.md', 'Ä'].map((p) => ({ mode: p === 'Ä' ? '040000' : '100644', path: p, oid: p === 'Ä' ? TREE : BLOB, type: p === 'Ä' ? 'tree' : 'blob' }) as TreeEntry);
    assert.equal(objectId('tree', encodeTree(entries)), gitMktree(gitdir, entries));
  });

  it('round-trips through parseTree', () => {
    const entries: TreeEntry[] = [
      { mode: '100644', path: 'Home.md', oid: BLOB, type: 'blob' },
      { mode: '040000', path: 'Notes', oid: TREE, type: 'tree' },
    ];
    assert.deepEqual(parseTree(encodeTree(entries)).map(({ mode, path, oid, type }) => ({ mode, path, oid, type })), entries);
  });

  it('parses every mode, names beyond ASCII, and names that are not UTF-8', () => {
    const entries: TreeEntry[] = [
      { mode: '100755', path: 'run.sh', oid: BLOB, type: 'blob' },
      { mode: '120000', path: 'link', oid: BLOB, type: 'blob' },
      { mode: '160000', path: 'sub', oid: BLOB, type: 'commit' },
      { mode: '100644', path: 'Café_\u{1F600}.md', oid: BLOB, type: 'blob' },
    ];
    const parsed = parseTree(encodeTree(entries));
    const byPath = (list: TreeEntry[]) => [...list].sort((a, b) => (a.path < b.path ? -1 : 1));
    assert.deepEqual(byPath(parsed.map(({ mode, path, oid, type }) => ({ mode, path, oid, type }))), byPath(entries));
    assert.ok(parsed.every((e) => e.utf8));
    const bad = new Uint8Array([...new TextEncoder().encode('100644 x'), 0xff, 0, ...new Uint8Array(20).fill(0xab)]);
    const [entry] = parseTree(bad);
    assert.deepEqual({ path: entry!.path, utf8: entry!.utf8, oid: entry!.oid }, { path: 'x\uFFFD', utf8: false, oid: 'ab'.repeat(20) });
  });
});

describe('encodeCommit', () => {
  it('gives the id isomorphic-git gives the same commit, for any time zone and message', async () => {
    const gitdir = path.join(tempDir(), 'iso.git');
    await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
    const cases = [
      { offset: 0, message: 'Update Home' },
      { offset: -120, message: '\n\nLeading blank lines\r\nand CRLF\n\n\n' },
      { offset: 330, message: 'Zone behind UTC, no final newline' },
      { offset: -345, message: 'Übersicht: 日本語 ✓\n' },
    ];
    for (const { offset, message } of cases) {
      const sig = { name: 'Alice Example', email: 'did:plc:alice@wiki.localhost', timestamp: 1_700_000_123, timezoneOffset: offset };
      const commit = { tree: TREE, parent: [BLOB.replace(/^e/, 'f')], author: sig, committer: { ...sig, name: 'Wikifarm' }, message };
      const theirs = await git.writeCommit({ fs, gitdir, commit });
      assert.equal(objectId('commit', encodeCommit(commit)), theirs, JSON.stringify({ offset, message }));
      assert.deepEqual(parseCommit(encodeCommit(commit)), { ...commit, message: commitMessage(message) });
    }
  });
});

describe('ObjectBatch', () => {
  it('stores each object once as a loose object git reads, and may store one that exists', async () => {
    const gitdir = bareRepo();
    const content = new TextEncoder().encode('# Home\n');
    const batch = new ObjectBatch();
    const blob = batch.add('blob', content);
    assert.equal(batch.add('blob', content), blob);
    assert.equal(batch.size, 1);
    await batch.store(fs, gitdir);
    assert.equal(execFileSync('git', ['--git-dir', gitdir, 'cat-file', '-p', blob], { encoding: 'utf8' }), '# Home\n');
    const stored = parseLoose(inflate(fs.readFileSync(loosePath(gitdir, blob))));
    assert.equal(stored.type, 'blob');
    assert.deepEqual(Buffer.from(stored.data), Buffer.from(content));
    // Git leaves loose objects read-only; storing the same object again is not an error.
    fs.chmodSync(loosePath(gitdir, blob), 0o444);
    const again = new ObjectBatch();
    again.add('blob', content);
    await again.store(fs, gitdir);
    assert.equal(execFileSync('git', ['--git-dir', gitdir, 'cat-file', '-t', blob], { encoding: 'utf8' }).trim(), 'blob');
  });
});
