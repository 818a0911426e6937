import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { deflateSync, inflateSync } from 'node:zlib';
import git, { type TreeEntry } from 'isomorphic-git';
import { ObjectBatch } from './object-batch.ts';
import { adler32, commitMessage, encodeCommit, encodeTree, inflate, inflateAt, loosePath, objectId, parseCommit, parseLoose, parseTree } from './objects.ts';
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

describe('inflateAt', () => {
  const zlibTrailer = (stream: Uint8Array) => Buffer.from(stream.subarray(stream.byteLength - 4)).readUInt32BE(0);

  it('computes the Adler-32 checksum zlib writes', () => {
    for (const size of [0, 1, 5551, 5552, 5553, 100_000]) {
      const data = new Uint8Array(size).map((_, i) => (i * 7919 + (i >> 3)) & 0xff);
      assert.equal(adler32(data), zlibTrailer(deflateSync(data)), `size ${size}`);
    }
    assert.equal(adler32(new Uint8Array(100_000).fill(255)), zlibTrailer(deflateSync(new Uint8Array(100_000).fill(255))));
  });

  it('finds where a stream ends when more bytes follow, even bytes that repeat its checksum', () => {
    const data = new TextEncoder().encode('a page of text\n'.repeat(300));
    const stream = deflateSync(data);
    const after = new Uint8Array([...stream.subarray(stream.byteLength - 4), 1, 2, 3, ...stream.subarray(stream.byteLength - 4), 9, 9, 9, 9]);
    const bytes = new Uint8Array([7, 7, ...stream, ...after]);
    const { data: out, end } = inflateAt(bytes, 2, data.byteLength);
    assert.deepEqual(out, data);
    assert.equal(end, 2 + stream.byteLength);
  });

  // A stored block holds its bytes as they are, so a crafted object can hold the stream's own
  // checksum: a few times (each place is tried) or many (the end is searched for byte by byte).
  for (const repeats of [3, 40]) {
    it(`finds the end of a stream whose data holds its own checksum ${repeats} times`, () => {
      const data = selfChecksummed(repeats);
      const stream = storedStream(data);
      assert.deepEqual(new Uint8Array(inflateSync(stream)), data, 'the crafted stream is valid zlib');
      const bytes = new Uint8Array([...stream, ...stream.subarray(0, 40)]);
      const { data: out, end } = inflateAt(bytes, 0, data.byteLength);
      assert.deepEqual(out, data);
      assert.equal(end, stream.byteLength);
    });
  }

  it('finds the end of a stream made far longer than its content (empty blocks), and its data', () => {
    const data = new TextEncoder().encode('ten bytes!');
    const padded = storedStream(data, 400); // 2,000 bytes of empty blocks before 10 bytes of data
    assert.deepEqual(new Uint8Array(inflateSync(padded)), data, 'the crafted stream is valid zlib');
    const bytes = new Uint8Array([...padded, ...padded]);
    const { data: out, end } = inflateAt(bytes, 0, data.byteLength);
    assert.deepEqual(out, data);
    assert.equal(end, padded.byteLength);
    assert.throws(() => inflateAt(padded.subarray(0, 1500), 0, data.byteLength), /corrupt compressed data/);
  });

  it('refuses a stream that is cut off, and one that inflates to more than declared', () => {
    const data = new TextEncoder().encode('x'.repeat(1000));
    const stream = deflateSync(data);
    assert.throws(() => inflateAt(stream.subarray(0, stream.byteLength - 3), 0, data.byteLength), /corrupt compressed data/);
    // One byte more than declared is returned, so the caller sees the size is wrong; more is not inflated.
    assert.equal(inflateAt(stream, 0, data.byteLength - 1).data.byteLength, data.byteLength);
    assert.throws(() => inflateAt(stream, 0, data.byteLength - 2), /corrupt compressed data/);
  });
});

/** A zlib stream of `empty` empty stored blocks, then one stored (uncompressed) block of `data`. */
function storedStream(data: Uint8Array, empty = 0): Uint8Array {
  const len = data.byteLength;
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler32(data));
  const padding = Array.from({ length: empty }, () => [0x00, 0x00, 0x00, 0xff, 0xff]).flat();
  return new Uint8Array([0x78, 0x01, ...padding, 0x01, len & 0xff, len >> 8, ~len & 0xff, (~len >> 8) & 0xff, ...data, ...trailer]);
}

/**
 * Bytes whose Adler-32 checksum (big-endian: 0, 0, 1, p) occurs `repeats` times at their start:
 * the checksum followed by a run of 255s and two bytes, searched for with Adler-32's arithmetic.
 */
function selfChecksummed(repeats: number): Uint8Array {
  const MOD = 65521;
  for (let p = 0; p < 256; p++) {
    const checksum = [0, 0, 1, p];
    const prefix = Array.from({ length: repeats }, () => checksum).flat();
    let a = 1;
    let b = 0;
    for (const byte of prefix) {
      a = (a + byte) % MOD;
      b = (b + a) % MOD;
    }
    for (let run = 0; run < 20_000; run++) {
      // Appending x then y: a' = a + x + y, b' = b + 2a + 2x + y = b + 2a + s + x, with s = x + y.
      const s = (((256 + p - a) % MOD) + MOD) % MOD;
      const x = (((-(b + 2 * a + s)) % MOD) + MOD) % MOD;
      if (s <= 510 && x <= 255 && s - x >= 0 && s - x <= 255) {
        const data = new Uint8Array([...prefix, ...new Array<number>(run).fill(255), x, s - x]);
        assert.equal(adler32(data), 256 + p);
        return data;
      }
      a = (a + 255) % MOD;
      b = (b + a) % MOD;
    }
  }
  throw new Error('no self-checksummed bytes found');
}
