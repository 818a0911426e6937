import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blameLines, textLines, type BlameVersion } from './blame.ts';

/** [text, version, older] per line. */
function blame(versions: (string | null)[], complete = true): [string, number, boolean][] {
  return blameLines(versions.map((text): BlameVersion => ({ text })), complete).map((l) => [l.text, l.version, l.older]);
}

describe('textLines', () => {
  it('splits on \\n, drops \\r\\n endings, keeps a last line without one', () => {
    assert.deepEqual(textLines('a\r\nb\n\nc'), ['a', 'b', '', 'c']);
    assert.deepEqual(textLines(''), []);
    assert.deepEqual(textLines('x\n'), ['x']);
  });
});

describe('blameLines', () => {
  it('gives each line to the version that last changed it (newest first)', () => {
    // v2 (oldest): created a, b, c · v1: changed b, added d · v0: removed a, added e at the top
    assert.deepEqual(blame(['e\nB\nc\nd\n', 'a\nB\nc\nd\n', 'a\nb\nc\n']), [
      ['e', 0, false],
      ['B', 1, false],
      ['c', 2, false],
      ['d', 1, false],
    ]);
  });

  it('follows lines that move down and up as others come and go', () => {
    assert.deepEqual(blame(['x\ny\nz\n', 'y\nz\n', 'z\n', 'q\nz\n']), [
      ['x', 0, false],
      ['y', 1, false],
      ['z', 3, false],
    ]);
  });

  it('keeps a line\'s origin when a later version changes it back and forth', () => {
    assert.deepEqual(blame(['a\nb\n', 'a\nB\n', 'a\nb\n']), [
      ['a', 2, false],
      ['b', 0, false],
    ]);
  });

  it('marks lines older than the versions given when they do not reach the creation', () => {
    assert.deepEqual(blame(['a\nb\nc\n', 'a\nb\n', 'a\n'], false), [
      ['a', 2, true],
      ['b', 1, false],
      ['c', 0, false],
    ]);
    assert.deepEqual(blame(['only\n'], false), [['only', 0, true]]);
    assert.deepEqual(blame(['only\n'], true), [['only', 0, false]]);
  });

  it('stops at a deletion: lines of a page made again belong to the version that made it again', () => {
    assert.deepEqual(blame(['a\nb\n', 'a\n', null, 'a\nb\n'], false), [
      ['a', 1, false],
      ['b', 0, false],
    ]);
  });

  it('counts a changed line ending as a change, and handles empty texts and identical versions', () => {
    assert.deepEqual(blame(['a\r\nb\n', 'a\nb\n']), [
      ['a', 0, false],
      ['b', 1, false],
    ]);
    assert.deepEqual(blame(['', 'a\n']), []);
    assert.deepEqual(blame(['a\n', 'a\n', 'a\n']), [['a', 2, false]]);
  });

  it('refuses to blame a page that does not exist', () => {
    assert.throws(() => blameLines([{ text: null }], true));
    assert.throws(() => blameLines([], true));
  });

  it('stays bounded on a large rewrite (the diff falls back to one replaced block)', () => {
    const old = Array.from({ length: 3000 }, (_, i) => `old ${i}`).join('\n');
    const now = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `old ${i}` : `new ${i}`)).join('\n');
    const started = performance.now();
    const lines = blameLines([{ text: now }, { text: old }], true);
    assert.equal(lines.length, 3000);
    assert.equal(lines[0]!.version, 0);
    assert.ok(performance.now() - started < 5000);
  });
});
