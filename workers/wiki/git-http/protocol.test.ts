/**
 * The protocol pieces without the stack: pkt-line framing and side-band,
 * parsing of upload-pack and receive-pack requests, upload-pack negotiation
 * and packs checked with the real git CLI (`git index-pack`, `rev-list`), and
 * the push rules on trees crafted with `git mktree`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { git, gitEnv, tempDir } from '../git/test-kit.test.ts';
import { commitsBetweenWith } from '../git/commits-between.ts';
import { RepoObjects } from './object-store.ts';
import { ParsedReader } from './parsed-reader.ts';
import { concat } from '../../lib/bytes.ts';
import { FLUSH, lineText, pkt, PktReader, sideband } from './pkt-line.ts';
import { PushChecker } from './push-rules.ts';
import { parseReceiveRequest } from './receive-pack.ts';
import { MAX_HAVES, MAX_SHALLOWS, MAX_WANTS, parseUploadRequest, uploadPack } from './upload-pack.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** git with something on its standard input. */
function gitIn(args: string[], cwd: string, input: string): string {
  return execFileSync('git', args, { cwd, input, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

/** A repository with `n` commits, one file changed per commit, in subfolders. */
function repo(n: number): { dir: string; gitdir: string; commits: string[] } {
  const dir = tempDir();
  git(['init', '-q', '-b', 'main', dir]);
  const commits: string[] = [];
  for (let i = 0; i < n; i++) {
    fs.mkdirSync(path.join(dir, 'Notes', `F${i % 3}`), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Notes', `F${i % 3}`, `P${i}.md`), `# Page ${i}\n\n${'words '.repeat(i + 5)}\n`);
    fs.writeFileSync(path.join(dir, 'Home.md'), `# Home\n\nversion ${i}\n`);
    git(['add', '-A'], { cwd: dir });
    git(['commit', '-q', '-m', `commit ${i}`], { cwd: dir, env: { GIT_AUTHOR_DATE: `${1_700_000_000 + i * 60} +0000`, GIT_COMMITTER_DATE: `${1_700_000_000 + i * 60} +0000` } });
    commits.push(git(['rev-parse', 'HEAD'], { cwd: dir }).trim());
  }
  return { dir, gitdir: path.join(dir, '.git'), commits };
}

/** Splits an upload-pack answer into its lines before the pack and the pack (from side-band 1), plus band 2 text. */
function demux(answer: Uint8Array): { lines: string[]; pack: Uint8Array; progress: string } {
  const reader = new PktReader(answer);
  const lines: string[] = [];
  const pack: Uint8Array[] = [];
  let progress = '';
  for (let p = reader.next(); p.kind !== 'end'; p = reader.next()) {
    if (p.kind === 'flush') {
      lines.push('0000');
      continue;
    }
    if (p.kind !== 'data') continue;
    const band = p.bytes[0];
    if (band === 1) pack.push(p.bytes.subarray(1));
    else if (band === 2) progress += text(p.bytes.subarray(1));
    else if (band === 3) throw new Error(`fatal: ${text(p.bytes.subarray(1))}`);
    else lines.push(lineText(p.bytes));
  }
  return { lines, pack: concat(pack), progress };
}

async function ask(gitdir: string, head: string, body: Uint8Array): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await uploadPack(new RepoObjects(fs, gitdir), head, parseUploadRequest(body), { write: async (b) => void chunks.push(b) });
  return concat(chunks);
}

/** The object ids a pack holds, as git's index-pack reads them (and verifies it). */
function packObjects(pack: Uint8Array, strict = true): Set<string> {
  const target = tempDir();
  git(['init', '-q', '--bare', target]);
  // --strict also checks that every commit's parents are there, which shallow and incremental packs leave out.
  const out = execFileSync('git', ['index-pack', '--stdin', '--fix-thin', ...(strict ? ['--strict'] : [])], { cwd: target, input: pack, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] }).toString().trim();
  const name = out.split('\t').pop()!;
  const listed = execFileSync('git', ['show-index'], { cwd: target, input: fs.readFileSync(path.join(target, 'objects', 'pack', `pack-${name}.idx`)), env: gitEnv() }).toString();
  return new Set(listed.trim().split('\n').map((l) => l.split(' ')[1]!));
}

const CAPS = 'multi_ack_detailed no-done side-band-64k thin-pack ofs-delta agent=test';

describe('pkt-lines', () => {
  it('frames, reads back, and splits side-band data', () => {
    assert.equal(text(pkt('hi\n')), '0007hi\n');
    const reader = new PktReader(concat([pkt('one\n'), FLUSH, pkt('two'), new TextEncoder().encode('PACK…')]));
    assert.equal(lineText((reader.next() as { bytes: Uint8Array }).bytes), 'one');
    assert.equal(reader.next().kind, 'flush');
    assert.equal(lineText((reader.next() as { bytes: Uint8Array }).bytes), 'two');
    assert.equal(text(reader.rest()), 'PACK…');
    const big = new Uint8Array(150_000).fill(7);
    const packets = sideband(1, big);
    assert.equal(packets.length, 3);
    assert.equal(packets[0]!.byteLength, 65520);
    assert.throws(() => new PktReader(new TextEncoder().encode('00zz')).next(), /bad pkt-line/);
  });
});

describe('request parsing', () => {
  it('reads an upload-pack request: capabilities, shallow, deepen, haves and how it ends', () => {
    const want = 'a'.repeat(40);
    const r = parseUploadRequest(concat([pkt(`want ${want} ${CAPS}\n`), pkt(`want ${'b'.repeat(40)}\n`), pkt(`shallow ${'c'.repeat(40)}\n`), pkt('deepen 3\n'), FLUSH, pkt(`have ${'d'.repeat(40)}\n`), pkt('done\n')]));
    assert.deepEqual(r.wants, [want, 'b'.repeat(40)]);
    assert.ok(r.capabilities.has('no-done') && r.capabilities.has('side-band-64k'));
    assert.deepEqual([r.clientShallows, r.depth, r.haves, r.end], [['c'.repeat(40)], 3, ['d'.repeat(40)], 'done']);
    assert.equal(parseUploadRequest(concat([pkt(`want ${want}\n`), pkt('deepen 1\n'), FLUSH])).end, 'eof');
    assert.equal(parseUploadRequest(concat([pkt(`want ${want}\n`), FLUSH, pkt(`have ${want}\n`), FLUSH])).end, 'flush');
    assert.throws(() => parseUploadRequest(concat([pkt(`want ${want}\n`), pkt('deepen-since 12345\n'), FLUSH])), /not supported/);
    assert.throws(() => parseUploadRequest(FLUSH), /no want/);
  });

  it('bounds what one upload-pack request makes the worker do: wants and shallows capped, haves past the cap ignored', () => {
    const oid = (n: number) => n.toString(16).padStart(40, '0');
    const lines = (word: string, count: number) => Array.from({ length: count }, (_, i) => pkt(`${word} ${oid(i + 1)}\n`));
    // Repeats are one want; the cap counts different ones.
    const repeated = parseUploadRequest(concat([...Array.from({ length: 50_000 }, () => pkt(`want ${oid(1)}\n`)), FLUSH]));
    assert.deepEqual(repeated.wants, [oid(1)]);
    assert.equal(parseUploadRequest(concat([...lines('want', MAX_WANTS), FLUSH])).wants.length, MAX_WANTS);
    assert.throws(() => parseUploadRequest(concat([...lines('want', MAX_WANTS + 1), FLUSH])), /too many want lines/);
    assert.throws(() => parseUploadRequest(concat([pkt(`want ${oid(1)}\n`), ...lines('shallow', MAX_SHALLOWS + 1), FLUSH])), /too many shallow lines/);
    const haves = parseUploadRequest(concat([pkt(`want ${oid(1)}\n`), FLUSH, ...lines('have', MAX_HAVES + 500), pkt('done\n')]));
    assert.equal(haves.haves.length, MAX_HAVES);
    assert.equal(haves.end, 'done');
  });

  it('reads a receive-pack request: commands, capabilities and the pack; a probe has no commands', () => {
    const old = '1'.repeat(40);
    const next = '2'.repeat(40);
    const r = parseReceiveRequest(concat([pkt(`${old} ${next} refs/heads/main\0report-status side-band-64k\n`), pkt(`${old} ${next} refs/heads/other\n`), FLUSH, new TextEncoder().encode('PACKdata')]));
    assert.deepEqual(r.commands, [{ old, new: next, ref: 'refs/heads/main' }, { old, new: next, ref: 'refs/heads/other' }]);
    assert.ok(r.capabilities.has('report-status'));
    assert.equal(text(r.pack!), 'PACKdata');
    const probe = parseReceiveRequest(FLUSH);
    assert.deepEqual([probe.commands, probe.pack], [[], null]);
  });
});

describe('upload-pack', () => {
  it('clones: NAK, then a pack with every object of the history', async () => {
    const { dir, gitdir, commits } = repo(8);
    const head = commits.at(-1)!;
    const answer = demux(await ask(gitdir, head, concat([pkt(`want ${head} ${CAPS}\n`), FLUSH, pkt('done\n')])));
    assert.deepEqual(answer.lines, ['NAK', '0000']);
    assert.match(answer.progress, /Enumerating objects: \d+, done/);
    const all = git(['rev-list', '--objects', 'HEAD'], { cwd: dir }).trim().split('\n').map((l) => l.slice(0, 40));
    assert.deepEqual(packObjects(answer.pack), new Set(all));
  });

  it('negotiates a fetch: ACK common, ready, and (no-done) the pack with only what the client lacks', async () => {
    const { dir, gitdir, commits } = repo(8);
    const head = commits.at(-1)!;
    const have = commits[4]!;
    const answer = demux(await ask(gitdir, head, concat([pkt(`want ${head} ${CAPS}\n`), FLUSH, pkt(`have ${have}\n`), FLUSH])));
    assert.deepEqual(answer.lines, [`ACK ${have} common`, `ACK ${have} ready`, 'NAK', `ACK ${have}`, '0000']);
    // As git's upload-pack: a have it lacks after a common one is "ready" at once; before it, no "ready" this round.
    const later = demux(await ask(gitdir, head, concat([pkt(`want ${head} ${CAPS}\n`), FLUSH, pkt(`have ${have}\n`), pkt(`have ${'e'.repeat(40)}\n`), FLUSH])));
    assert.deepEqual(later.lines, [`ACK ${have} common`, `ACK ${'e'.repeat(40)} ready`, 'NAK', `ACK ${have}`, '0000']);
    const earlier = demux(await ask(gitdir, head, concat([pkt(`want ${head} ${CAPS}\n`), FLUSH, pkt(`have ${'e'.repeat(40)}\n`), pkt(`have ${have}\n`), FLUSH])));
    assert.deepEqual(earlier.lines, [`ACK ${have} common`, 'NAK']);
    const lacking = git(['rev-list', '--objects', head, `^${have}`], { cwd: dir }).trim().split('\n').map((l) => l.slice(0, 40));
    assert.deepEqual(packObjects(answer.pack, false), new Set(lacking));
  });

  it('asks again when nothing is in common yet, and refuses a want it does not have', async () => {
    const { gitdir, commits } = repo(3);
    const head = commits.at(-1)!;
    const first = demux(await ask(gitdir, head, concat([pkt(`want ${head} ${CAPS}\n`), FLUSH, pkt(`have ${'e'.repeat(40)}\n`), FLUSH])));
    assert.deepEqual(first.lines, ['NAK']);
    assert.equal(first.pack.byteLength, 0);
    const bad = text(await ask(gitdir, head, concat([pkt(`want ${'f'.repeat(40)} ${CAPS}\n`), FLUSH, pkt('done\n')])));
    assert.match(bad, /ERR upload-pack: not our ref f{40}/);
  });

  it('cuts a --depth clone and tells the client where', async () => {
    const { gitdir, commits } = repo(5);
    const head = commits.at(-1)!;
    const shallowList = demux(await ask(gitdir, head, concat([pkt(`want ${head} ${CAPS} shallow\n`), pkt('deepen 2\n'), FLUSH])));
    assert.deepEqual(shallowList.lines, [`shallow ${commits[3]}`, '0000']);
    const answer = demux(await ask(gitdir, head, concat([pkt(`want ${head} ${CAPS} shallow\n`), pkt('deepen 2\n'), FLUSH, pkt('done\n')])));
    assert.deepEqual(answer.lines.slice(0, 3), [`shallow ${commits[3]}`, '0000', 'NAK']);
    const objects = packObjects(answer.pack, false);
    assert.ok(objects.has(head) && objects.has(commits[3]!) && !objects.has(commits[2]!));
  });
});

describe('push rules', () => {
  async function problemsOf(dir: string, entries: string[], limits = { maxFileBytes: 100, maxPageBytes: 50 }): Promise<string[]> {
    const tree = gitIn(['mktree', '--missing'], dir, entries.join('\n') + '\n').trim();
    const commit = git(['commit-tree', tree, '-m', 'x'], { cwd: dir }).trim();
    const store = new RepoObjects(fs, path.join(dir, '.git'));
    const reader = new ParsedReader(store);
    const checker = new PushChecker(reader, limits, async (oid) => (await store.read(oid))?.data.byteLength ?? null);
    await commitsBetweenWith(reader, null, commit, (c) => checker.check(c));
    return checker.problems;
  }

  it('accepts plain files and folders, and names every problem', async () => {
    const { dir } = repo(1);
    const small = gitIn(['hash-object', '-w', '--stdin'], dir, 'ok\n').trim();
    const big = gitIn(['hash-object', '-w', '--stdin'], dir, 'x'.repeat(101)).trim();
    const page = gitIn(['hash-object', '-w', '--stdin'], dir, '#'.repeat(60)).trim();
    const folder = gitIn(['mktree'], dir, `100755 blob ${small}\trun.sh\n`).trim();
    assert.deepEqual(await problemsOf(dir, [`100644 blob ${small}\tHome.md`, `040000 tree ${folder}\tTools`]), []);
    const problems = await problemsOf(dir, [
      `120000 blob ${small}\tlink.md`,
      `160000 commit ${'1'.repeat(40)}\tvendor`,
      `100644 blob ${small}\t..`,
      `100644 blob ${small}\t.Git`,
      `100644 blob ${small}\ttab\there.md`,
      `100644 blob ${big}\tbig.bin`,
      `100644 blob ${page}\tLong.md`,
      `100644 blob ${'2'.repeat(40)}\tmissing.md`,
      `040000 tree ${folder}\t.git`,
    ]);
    const expected = [/"link\.md" is a symbolic link/, /"vendor" is a submodule/, /"\.\."/, /"\.Git"/, /control character/, /"big\.bin" is 101 bytes: a file may be at most 100/, /"Long\.md" is 60 bytes: a page may be at most 50/, /"missing\.md": its content .* is missing/, /"\.git"/];
    for (const re of expected) assert.ok(problems.some((p) => re.test(p)), `${re} in\n${problems.join('\n')}`);
  });
});
