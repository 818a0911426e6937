import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatch } from 'diff';
import * as esbuild from 'esbuild';
import { buildOptions, ROOT } from '../../../bin/lib/build.ts';
import { diffLines, unifiedDiff, type DiffHunk } from './diff.ts';

function lineCount(text: string): number {
  return text.match(/[^\n]*\n|[^\n]+$/g)?.length ?? 0;
}

const TEN = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
const TEN_CHANGED = 'a\nb\nX\nd\ne\nf\ng\nh\nY\nj\n';

describe('diffLines', () => {
  it('gives no hunks for equal texts', () => {
    assert.deepEqual(diffLines('', ''), []);
    assert.deepEqual(diffLines('same\n', 'same\n'), []);
  });

  it('numbers old and new lines and puts removed lines before added ones', () => {
    assert.deepEqual(diffLines('a\nb\nc\n', 'a\nB\nc\nd\n'), [
      {
        oldStart: 1,
        oldLines: 3,
        newStart: 1,
        newLines: 4,
        lines: [
          { kind: 'context', oldLine: 1, newLine: 1, text: 'a' },
          { kind: 'removed', oldLine: 2, text: 'b' },
          { kind: 'added', newLine: 2, text: 'B' },
          { kind: 'context', oldLine: 3, newLine: 3, text: 'c' },
          { kind: 'added', newLine: 4, text: 'd' },
        ],
      },
    ]);
  });

  it('splits far-apart changes into hunks with the given context', () => {
    const hunks = diffLines(TEN, TEN_CHANGED, { context: 1 });
    assert.deepEqual(
      hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines, h.lines.map((l) => `${l.kind[0]}${l.text}`)]),
      [
        [2, 3, 2, 3, ['cb', 'rc', 'aX', 'cd']],
        [8, 3, 8, 3, ['ch', 'ri', 'aY', 'cj']],
      ],
    );
  });

  it('joins changes at most twice the context apart into one hunk', () => {
    // the changes are 5 lines apart: one hunk with context 3, two with context 2
    assert.equal(diffLines(TEN, TEN_CHANGED).length, 1);
    assert.equal(diffLines(TEN, TEN_CHANGED, { context: 3 })[0]!.lines.length, 12);
    assert.equal(diffLines(TEN, TEN_CHANGED, { context: 2 }).length, 2);
    const gapFour = 'a\nb\nc\nd\ne\nf\n';
    assert.equal(diffLines(gapFour, 'X\nb\nc\nd\ne\nY\n', { context: 2 }).length, 1);
    assert.equal(diffLines(gapFour, 'X\nb\nc\nd\ne\nY\n', { context: 1 }).length, 2);
  });

  it('gives the whole text as one hunk with context Infinity', () => {
    const [hunk, ...rest] = diffLines(TEN, TEN_CHANGED, { context: Infinity });
    assert.deepEqual(rest, []);
    assert.equal(hunk!.lines.length, 12);
    assert.deepEqual([hunk!.oldStart, hunk!.oldLines, hunk!.newStart, hunk!.newLines], [1, 10, 1, 10]);
  });

  it('numbers pure insertions and deletions from the line before (context 0)', () => {
    const numbers = (h: DiffHunk): number[] => [h.oldStart, h.oldLines, h.newStart, h.newLines];
    assert.deepEqual(diffLines('a\nb\nc\nd\n', 'a\nb\nz\nc\nd\n', { context: 0 }).map(numbers), [[2, 0, 3, 1]]);
    assert.deepEqual(diffLines('a\nb\nc\nd\n', 'a\nd\n', { context: 0 }).map(numbers), [[2, 2, 1, 0]]);
    assert.deepEqual(diffLines('', 'a\nb\n').map(numbers), [[0, 0, 1, 2]]);
    assert.deepEqual(diffLines('a\nb\n', '').map(numbers), [[1, 2, 0, 0]]);
  });

  it('marks a last line without a line ending', () => {
    assert.deepEqual(diffLines('a\nb\n', 'a\nb')[0]!.lines, [
      { kind: 'context', oldLine: 1, newLine: 1, text: 'a' },
      { kind: 'removed', oldLine: 2, text: 'b' },
      { kind: 'added', newLine: 2, text: 'b', noNewlineAtEnd: true },
    ]);
  });

  it('shows CRLF lines without the CR, and a line-ending change as a change', () => {
    assert.deepEqual(diffLines('a\r\nb\r\n', 'a\r\nc\r\n')[0]!.lines.map((l) => [l.kind, l.text]), [
      ['context', 'a'],
      ['removed', 'b'],
      ['added', 'c'],
    ]);
    assert.deepEqual(diffLines('a\r\n', 'a\n')[0]!.lines.map((l) => [l.kind, l.text]), [
      ['removed', 'a'],
      ['added', 'a'],
    ]);
  });

  it('handles Unicode and blank lines', () => {
    assert.deepEqual(diffLines('日本\n\n😀\n', '日本\n\n😃\n')[0]!.lines.map((l) => [l.kind, l.text]), [
      ['context', '日本'],
      ['context', ''],
      ['removed', '😀'],
      ['added', '😃'],
    ]);
  });

  it('falls back to one replaced block past maxEditLength, keeping common first and last lines', () => {
    const old = 'keep1\nkeep2\na\nb\nc\nkeep3\n';
    const now = 'keep1\nkeep2\nx\nb\ny\nkeep3\n';
    assert.deepEqual(diffLines(old, now, { maxEditLength: 1, context: 1 })[0]!.lines.map((l) => `${l.kind[0]}${l.text}`), [
      'ckeep2',
      'ra',
      'rb',
      'rc',
      'ax',
      'ab',
      'ay',
      'ckeep3',
    ]);
    assert.equal(applyPatch(old, unifiedDiff(old, now, { maxEditLength: 1 })), now);
  });
});

describe('unifiedDiff', () => {
  // Expected texts are GNU diff 3's output for `diff -U<n> --label old --label new`.
  it('is empty for equal texts', () => {
    assert.equal(unifiedDiff('a\n', 'a\n'), '');
  });

  it('writes headers and hunks like diff -u, leaving out counts of 1', () => {
    assert.equal(
      unifiedDiff('a\n', 'b\n', { oldLabel: 'a/Home.md', newLabel: 'b/Home.md' }),
      '--- a/Home.md\n+++ b/Home.md\n@@ -1 +1 @@\n-a\n+b\n',
    );
    assert.equal(
      unifiedDiff(TEN, TEN_CHANGED, { context: 1 }),
      '--- old\n+++ new\n@@ -2,3 +2,3 @@\n b\n-c\n+X\n d\n@@ -8,3 +8,3 @@\n h\n-i\n+Y\n j\n',
    );
  });

  it('matches diff -u for insertions and deletions at context 0', () => {
    assert.equal(unifiedDiff('a\nb\nc\nd\n', 'a\nb\nz\nc\nd\n', { context: 0 }), '--- old\n+++ new\n@@ -2,0 +3 @@\n+z\n');
    assert.equal(unifiedDiff('a\nb\nc\nd\n', 'a\nd\n', { context: 0 }), '--- old\n+++ new\n@@ -2,2 +1,0 @@\n-b\n-c\n');
  });

  it('matches diff -u for empty old or new texts', () => {
    assert.equal(unifiedDiff('', 'a\nb\n'), '--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    assert.equal(unifiedDiff('a\nb\n', ''), '--- old\n+++ new\n@@ -1,2 +0,0 @@\n-a\n-b\n');
  });

  it('marks a missing final line ending', () => {
    assert.equal(
      unifiedDiff('a\nb\nc\n', 'a\nb\nc'),
      '--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n b\n-c\n+c\n\\ No newline at end of file\n',
    );
    assert.equal(unifiedDiff('x', 'y'), '--- old\n+++ new\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n');
  });

  it('keeps CR before the line ending of CRLF lines', () => {
    assert.equal(unifiedDiff('a\r\nb\r\n', 'a\r\nc\r\n'), '--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n');
  });

  it('round-trips through a patch tool for many random edits', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const words = ['a', 'b', 'c', '', 'd', 'ü', '😀', 'e\r'];
    for (let round = 0; round < 300; round++) {
      const lines = Array.from({ length: random(20) }, () => words[random(words.length)]!);
      const old = lines.join('\n') + (random(3) ? '\n' : '');
      const changed = old.split('\n');
      for (let k = random(6); k > 0; k--) {
        const at = random(changed.length + 1);
        if (random(2)) changed.splice(at, 1);
        else changed.splice(at, 0, words[random(words.length)]!);
      }
      const now = changed.join('\n');
      const context = random(4);
      const patch = unifiedDiff(old, now, { context });
      if (old === now) {
        assert.equal(patch, '');
        continue;
      }
      assert.equal(applyPatch(old, patch, { autoConvertLineEndings: false }), now, JSON.stringify({ old, now, context }));
      const whole = diffLines(old, now, { context: Infinity });
      assert.equal(whole.length, 1);
      assert.equal(whole[0]!.oldLines, lineCount(old));
      assert.equal(whole[0]!.newLines, lineCount(now));
    }
  });
});

describe('the edit module bundle', () => {
  it('bundles for workerd with no Node builtins, dynamic requires or eval', async () => {
    const { entryPoints: _e, outdir: _o, metafile: _m, sourcemap: _s, ...options } = buildOptions();
    const result = await esbuild.build({
      ...options,
      stdin: { contents: "export * from './workers/wiki/edit/index.ts';", resolveDir: ROOT, loader: 'ts' },
      write: false,
      metafile: true,
    });
    const out = result.outputFiles[0]!.text;
    assert.doesNotMatch(out, /__require\(/);
    assert.doesNotMatch(out, /new Function\(/);
    assert.doesNotMatch(out, /\beval\(/);
    assert.doesNotMatch(out, /from ["']node:/);
    assert.doesNotMatch(out, /from ["'](buffer|crypto|stream|util|fs|path)["']/);
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((f) => f.includes('node_modules/diff/libesm/')), 'the ESM build of diff is used');
    assert.ok(inputs.every((f) => !f.includes('node_modules/') || f.includes('node_modules/diff/')), inputs.join(', '));
  });
});
