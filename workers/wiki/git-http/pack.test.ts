/**
 * Packs against the real git CLI: a pack git wrote (with deltas) is indexed
 * to the same ids and the same `.idx` bytes as `git index-pack`; objects read
 * back match `git cat-file`; packs written here pass `git index-pack` and
 * `git fsck`; loose objects written here are read by git.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { fsckStrict, git, gitBytes, gitEnv, tempDir } from '../git/test-kit.test.ts';
import { applyDelta } from './delta.ts';
import { RepoObjects } from './object-store.ts';
import { objectId, parseCommit, parseTree } from '../git/objects.ts';
import { encodeEntryHeader, encodeOfsDistance, Pack, readEntryHeader } from './pack.ts';
import { PackWriter } from './pack-writer.ts';
import { maxInflatedBytes } from './receive-pack.ts';

/** A repository with history that packs with deltas: one big file edited a little per commit, subfolders, a binary. */
function historyRepo(): string {
  const dir = tempDir();
  git(['init', '-q', '-b', 'main', dir]);
  const lines = Array.from({ length: 400 }, (_, i) => `line ${i} of a long page that deltas well`);
  for (let c = 0; c < 12; c++) {
    lines[c * 7] = `changed in commit ${c}`;
    fs.mkdirSync(path.join(dir, 'Notes', 'Deep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Big.md'), lines.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'Notes', `N${c}.md`), `# Note ${c}\n`);
    fs.writeFileSync(path.join(dir, 'Notes', 'Deep', 'img.bin'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * (c + 3)) & 255)));
    git(['add', '-A'], { cwd: dir });
    git(['commit', '-q', '-m', `commit ${c}`], { cwd: dir, env: { GIT_AUTHOR_DATE: `${1700000000 + c} +0200`, GIT_COMMITTER_DATE: `${1700000000 + c} +0200` } });
  }
  git(['repack', '-adfq'], { cwd: dir });
  return dir;
}

function onlyPack(gitdir: string): { pack: Buffer; idx: Buffer } {
  const dir = path.join(gitdir, 'objects', 'pack');
  const name = fs.readdirSync(dir).find((n) => n.endsWith('.pack'))!;
  return { pack: fs.readFileSync(path.join(dir, name)), idx: fs.readFileSync(path.join(dir, name.replace(/\.pack$/, '.idx'))) };
}

describe('pack', () => {
  it('indexes a pack git wrote to the ids and the .idx git computes', async () => {
    const repo = historyRepo();
    const { pack, idx } = onlyPack(path.join(repo, '.git'));
    const indexed = await Pack.index(new Uint8Array(pack));
    const all = git(['cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], { cwd: repo }).trim().split('\n');
    assert.equal(indexed.count, all.length);
    for (const line of all) {
      const [oid, type, size] = line.split(' ');
      const i = indexed.byOid.get(oid!);
      assert.ok(i !== undefined, `${oid} indexed`);
      assert.equal(indexed.types[i], type);
      assert.equal(indexed.sizes[i], Number(size));
    }
    assert.ok(indexed.offsets.some((_, i) => indexed.header(i).baseOffset !== undefined), 'the pack has ofs-deltas');
    assert.deepEqual(Buffer.from(indexed.idx()), idx, 'byte-identical .idx');
  });

  it('reads every object of a stored pack as git does', async () => {
    const repo = historyRepo();
    const { pack, idx } = onlyPack(path.join(repo, '.git'));
    const opened = Pack.open(new Uint8Array(pack), new Uint8Array(idx), { cacheBytes: 4096 });
    for (const oid of opened.oids) {
      const object = (await opened.read(oid))!;
      assert.equal(objectId(object.type, object.data), oid);
      assert.deepEqual(Buffer.from(object.data), gitBytes(['cat-file', object.type, oid], repo));
    }
  });

  it('refuses a pack whose checksum or content is wrong', async () => {
    const repo = historyRepo();
    const { pack } = onlyPack(path.join(repo, '.git'));
    const bad = new Uint8Array(pack);
    bad[100] = bad[100]! ^ 0xff;
    await assert.rejects(Pack.index(bad), /checksum/);
    await assert.rejects(Pack.index(new Uint8Array(pack.subarray(0, 40))), /./);
  });

  it('writes packs (whole, copied, ofs- and ref-deltas) that git indexes and fscks', async () => {
    const repo = historyRepo();
    const gitdir = path.join(repo, '.git');
    const store = new RepoObjects(fs, gitdir);
    const [stored] = await store.packs();
    assert.ok(stored);
    const chunks: Uint8Array[] = [];
    const writer = new PackWriter(stored.count, (c) => void chunks.push(c));
    // In pack order: deltas whose base was written go as ofs-deltas, every third as a ref-delta, the rest whole or copied.
    for (let i = 0; i < stored.count; i++) {
      const oid = stored.oids[i]!;
      const header = stored.header(i);
      const base = header.baseOffset !== undefined ? stored.oids[stored.offsets.indexOf(header.baseOffset)]! : header.baseOid;
      const compressed = stored.bytes.subarray(header.dataStart, stored.ends[i]);
      if (base && writer.offsets.has(base)) await writer.rawDelta(oid, base, header.size, compressed, i % 3 !== 0);
      else if (!base && i % 2 === 0) await writer.rawWhole(oid, stored.types[i] ?? (await stored.readEntry(i)).type, header.size, compressed);
      else {
        const object = await stored.readEntry(i);
        await writer.whole(oid, object.type, object.data);
      }
    }
    await writer.finish();
    const bytes = Buffer.concat(chunks);
    assert.equal(bytes.byteLength, writer.size);
    const target = tempDir();
    git(['init', '-q', '--bare', target]);
    execFileSync('git', ['index-pack', '--stdin', '--strict'], { cwd: target, input: bytes, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const head = git(['rev-parse', 'HEAD'], { cwd: repo }).trim();
    git(['update-ref', 'refs/heads/main', head], { cwd: target });
    fsckStrict(target);
    const reindexed = await Pack.index(new Uint8Array(bytes));
    assert.deepEqual(new Set(reindexed.oids), new Set(stored.oids));
  });

  it('writes loose objects git reads, and parses commits and trees like isomorphic-git', async () => {
    const repo = historyRepo();
    const target = tempDir();
    git(['init', '-q', '--bare', target]);
    const store = new RepoObjects(fs, target);
    const source = new RepoObjects(fs, path.join(repo, '.git'));
    const head = git(['rev-parse', 'HEAD'], { cwd: repo }).trim();
    const commit = (await source.read(head))!;
    const parsed = parseCommit(commit.data);
    assert.equal(parsed.message, 'commit 11\n');
    assert.equal(parsed.author.timezoneOffset, -120);
    assert.equal(parsed.parent.length, 1);
    const tree = parseTree((await source.read(parsed.tree))!.data);
    assert.deepEqual(tree.map((e) => [e.path, e.mode, e.type]), [['Big.md', '100644', 'blob'], ['Notes', '040000', 'tree']]);
    assert.equal(await store.writeLoose('blob', new TextEncoder().encode('hello\n')), 'ce013625030ba8dba906f756967f9e9ca394464a');
    assert.equal(git(['cat-file', '-p', 'ce013625030ba8dba906f756967f9e9ca394464a'], { cwd: target }), 'hello\n');
  });

  it('encodes entry headers, ofs distances and deltas as git does', () => {
    for (const size of [0, 15, 16, 127, 128, 4095, 1 << 20, 2 ** 33 + 5]) {
      const header = encodeEntryHeader(3, size);
      assert.deepEqual(readEntryHeader(header, 0), { kind: 3, size, dataStart: header.byteLength });
    }
    for (const distance of [1, 127, 128, 16511, 16512, 1 << 24]) {
      const bytes = new Uint8Array([0x60, ...encodeOfsDistance(distance)]);
      const padded = new Uint8Array(distance + bytes.byteLength);
      padded.set(bytes, distance);
      assert.equal(readEntryHeader(padded, distance).baseOffset, 0);
    }
    // base "abcdef", copy 2..5 then insert "XY"
    const delta = new Uint8Array([6, 5, 0x91, 2, 3, 2, 0x58, 0x59]);
    assert.equal(new TextDecoder().decode(applyDelta(new TextEncoder().encode('abcdef'), delta)), 'cdeXY');
    assert.throws(() => applyDelta(new TextEncoder().encode('abc'), delta), /base/);
  });
});

describe('hostile packs', () => {
  it('refuses an entry that inflates past its declared size (a zip bomb)', async () => {
    const { deflateSync } = await import('node:zlib');
    const { sha1 } = await import('../git/objects.ts');
    const big = deflateSync(new Uint8Array(1 << 20));
    const header = encodeEntryHeader(3, 10);
    const body = new Uint8Array(12 + header.byteLength + big.byteLength);
    body.set([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2, 0, 0, 0, 1]);
    body.set(header, 12);
    body.set(big, 12 + header.byteLength);
    const h = sha1();
    h.update(body);
    const pack = new Uint8Array(body.byteLength + 20);
    pack.set(body);
    pack.set(h.digest(), body.byteLength);
    await assert.rejects(Pack.index(pack), /corrupt compressed data|inflates/);
  });

  it('refuses an entry declared larger than the pack may hold, before inflating it', async () => {
    const { deflateSync } = await import('node:zlib');
    const { sha1 } = await import('../git/objects.ts');
    const blob = deflateSync(new Uint8Array(2048));
    const header = encodeEntryHeader(3, 2048);
    const body = new Uint8Array([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2, 0, 0, 0, 1, ...header, ...blob]);
    const h = sha1();
    h.update(body);
    const pack = new Uint8Array([...body, ...h.digest()]);
    await assert.rejects(Pack.index(pack, { maxObjectBytes: 1024 }), /an object of 2048 bytes is larger than the 1024 allowed/);
    assert.equal((await Pack.index(pack, { maxObjectBytes: 2048 })).sizes[0], 2048);
  });

  it('rebuilds many deltas against one base one at a time, and stops at the inflation budget', async () => {
    const { deflateSync } = await import('node:zlib');
    const varint = (n: number) => {
      const out: number[] = [];
      do {
        let b = n & 0x7f;
        n = Math.floor(n / 128);
        if (n) b |= 0x80;
        out.push(b);
      } while (n);
      return out;
    };
    /** A pack of one blob of `baseSize` zero bytes and `children` deltas, each the base plus two bytes of its own. */
    const siblings = async (baseSize: number, children: number) => {
      const base = new Uint8Array(baseSize);
      const baseOid = objectId('blob', base);
      const chunks: Uint8Array[] = [];
      const writer = new PackWriter(1 + children, (c) => void chunks.push(c));
      await writer.whole(baseOid, 'blob', base);
      const oids: string[] = [];
      for (let i = 0; i < children; i++) {
        // Copy the whole base (offset 0, size as three bytes), then insert two bytes.
        const delta = new Uint8Array([...varint(baseSize), ...varint(baseSize + 2), 0x80 | 0x10 | 0x20 | 0x40, baseSize & 255, (baseSize >> 8) & 255, baseSize >> 16, 2, i & 255, i >> 8]);
        const result = new Uint8Array(baseSize + 2);
        result.set([i & 255, i >> 8], baseSize);
        oids.push(objectId('blob', result));
        await writer.rawDelta(oids[i]!, baseOid, delta.byteLength, deflateSync(delta), true);
      }
      await writer.finish();
      return { bytes: new Uint8Array(Buffer.concat(chunks)), oids };
    };
    const many = await siblings(64 * 1024, 3000);
    const pack = await Pack.index(many.bytes);
    assert.deepEqual(pack.oids.slice(1), many.oids);
    assert.ok(pack.sizes.slice(1).every((size) => size === 64 * 1024 + 2));
    // Twenty 1 MiB files rebuilt from a 1 MiB base: 21 MiB of content from a pack of a few kilobytes.
    const bomb = await siblings(1024 * 1024, 20);
    assert.ok(bomb.bytes.byteLength < 10_000);
    await assert.rejects(Pack.index(bomb.bytes, { maxInflatedBytes: 8 * 1024 * 1024 }), /inflates to more than 8388608 bytes/);
    assert.equal((await Pack.index(bomb.bytes, { maxInflatedBytes: 32 * 1024 * 1024 })).count, 21);
    // What a push may inflate: a floor, a thousand times the pack, a cap.
    assert.equal(maxInflatedBytes(bomb.bytes.byteLength), 256 * 1024 * 1024 + 1000 * bomb.bytes.byteLength);
    assert.equal(maxInflatedBytes(50 * 1024 * 1024), 8 * 1024 * 1024 * 1024);
  });

  it('refuses a delta whose result is larger than the pack may hold', () => {
    // Source size 4, target size 4096: larger than the 1,024 allowed, refused before it is built.
    assert.throws(() => applyDelta(new Uint8Array(4), new Uint8Array([4, 0x80, 0x20]), 1024), /larger than the 1024 allowed/);
  });
});
