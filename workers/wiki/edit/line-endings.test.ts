import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  detectLineEnding,
  joinBlocks,
  lineNumberAt,
  trimBlankLines,
  trimLeadingBlankLines,
  trimTrailingBlankLines,
  uniformLineEnding,
  withLineEnding,
} from './line-endings.ts';

describe('detectLineEnding and uniformLineEnding', () => {
  it('read the first line break, or every line break', () => {
    assert.equal(detectLineEnding(''), null);
    assert.equal(detectLineEnding('one line'), null);
    assert.equal(detectLineEnding('a\nb\r\n'), '\n');
    assert.equal(detectLineEnding('a\r\nb\n'), '\r\n');
    assert.equal(detectLineEnding('\n'), '\n');
    assert.equal(uniformLineEnding('a\r\nb\r\n'), '\r\n');
    assert.equal(uniformLineEnding('a\nb\n'), '\n');
    assert.equal(uniformLineEnding('a\r\nb\n'), null);
    assert.equal(uniformLineEnding('a\nb\r\n'), null);
    assert.equal(uniformLineEnding('no break'), null);
    assert.equal(uniformLineEnding('lone\rcr\n'), '\n');
  });
});

describe('withLineEnding', () => {
  it('rewrites every line break and leaves lone CRs alone', () => {
    assert.equal(withLineEnding('a\nb\r\nc', '\r\n'), 'a\r\nb\r\nc');
    assert.equal(withLineEnding('a\r\nb\nc\r', '\n'), 'a\nb\nc\r');
    assert.equal(withLineEnding('', '\n'), '');
  });
});

describe('blank-line trimming', () => {
  it('drops whole blank lines at the start and keeps the first line indented', () => {
    assert.equal(trimLeadingBlankLines('\n  \n\t\n    code\nx'), '    code\nx');
    assert.equal(trimLeadingBlankLines('\r\n\r\n- item'), '- item');
    assert.equal(trimLeadingBlankLines('  x'), '  x');
    assert.equal(trimLeadingBlankLines(' \n \t '), '');
  });

  it('drops trailing whitespace and line breaks', () => {
    assert.equal(trimTrailingBlankLines('a\n\n  \n'), 'a');
    assert.equal(trimTrailingBlankLines('a  \r\n\r\n'), 'a');
    assert.equal(trimTrailingBlankLines('\n\n'), '');
    assert.equal(trimBlankLines('\n\n  a\n  b  \n\n'), '  a\n  b');
    assert.equal(trimBlankLines(' \n\t'), '');
  });
});

describe('joinBlocks', () => {
  it('puts one blank line between non-empty blocks', () => {
    assert.equal(joinBlocks(['a', '', 'b', 'c'], '\n'), 'a\n\nb\n\nc');
    assert.equal(joinBlocks(['a', 'b'], '\r\n'), 'a\r\n\r\nb');
    assert.equal(joinBlocks(['', ''], '\n'), '');
  });
});

describe('lineNumberAt', () => {
  it('counts line breaks before the offset', () => {
    const text = 'a\nbb\r\nc';
    assert.equal(lineNumberAt(text, 0), 1);
    assert.equal(lineNumberAt(text, 1), 1);
    assert.equal(lineNumberAt(text, 2), 2);
    assert.equal(lineNumberAt(text, 6), 3);
    assert.equal(lineNumberAt(text, text.length), 3);
  });
});
