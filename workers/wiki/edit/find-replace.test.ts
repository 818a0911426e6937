import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EditError } from './edit-error.ts';
import { findReplaceOnce, occurrences } from './find-replace.ts';

function failure(text: string, oldString: string, newString: string): EditError {
  try {
    findReplaceOnce(text, oldString, newString);
  } catch (err) {
    assert.ok(err instanceof EditError);
    assert.equal(err.code, 'invalid');
    assert.equal(err.status, 400);
    return err;
  }
  assert.fail('expected an EditError');
}

describe('occurrences', () => {
  it('counts without overlaps, like Python str.count', () => {
    assert.deepEqual(occurrences('aaaa', 'aa'), [0, 2]);
    assert.deepEqual(occurrences('aaa', 'aa'), [0]);
    assert.deepEqual(occurrences('abcabc', 'c'), [2, 5]);
    assert.deepEqual(occurrences('abc', 'x'), []);
  });
});

describe('findReplaceOnce', () => {
  it('replaces the single occurrence', () => {
    assert.equal(findReplaceOnce('a cat and a dog', 'a dog', 'a bird'), 'a cat and a bird');
    assert.equal(findReplaceOnce('start middle end', 'start', 'begin'), 'begin middle end');
    assert.equal(findReplaceOnce('x\ny\nz', 'y\nz', 'Y'), 'x\nY');
  });

  it('deletes with an empty new_string', () => {
    assert.equal(findReplaceOnce('keep DROP keep', ' DROP', ''), 'keep keep');
  });

  it('matches against the whole raw text, frontmatter included', () => {
    const page = '---\ntitle: Old\n---\n# Old\n';
    assert.equal(findReplaceOnce(page, 'title: Old', 'title: New'), '---\ntitle: New\n---\n# Old\n');
  });

  it('inserts the replacement literally', () => {
    assert.equal(findReplaceOnce('price: X', 'X', "$& $1 $$ $' $`"), "price: $& $1 $$ $' $`");
  });

  it('handles Unicode (astral characters, combining marks) by exact code units', () => {
    assert.equal(findReplaceOnce('I 😀 it. 日本語。', '😀', '❤️'), 'I ❤️ it. 日本語。');
    assert.equal(findReplaceOnce('café cafe\u0301', 'cafe\u0301', 'x'), 'café x');
  });

  it('counts a pattern that overlaps itself once when its occurrences overlap', () => {
    assert.equal(findReplaceOnce('aaa', 'aa', 'b'), 'ba');
  });

  it('refuses an empty old_string', () => {
    const err = failure('text', '', 'x');
    assert.equal(err.reason, 'empty_old_string');
    assert.match(err.message, /^old_string must not be empty\. /);
    assert.deepEqual(err.details, { reason: 'empty_old_string' });
  });

  it('refuses identical strings (checked before the search, like robot.wtf)', () => {
    const err = failure('text', 'missing', 'missing');
    assert.equal(err.reason, 'identical_strings');
    assert.match(err.message, /^old_string and new_string are identical/);
  });

  it('says old_string was not found and how to fix it', () => {
    const err = failure('alpha beta', 'gamma', 'delta');
    assert.equal(err.reason, 'old_string_not_found');
    assert.equal(
      err.message,
      'old_string not found in page content. Read the page again and copy the text to replace exactly as it is, ' +
        'character for character, including spaces, punctuation and line breaks.',
    );
    assert.deepEqual(err.details, { reason: 'old_string_not_found', occurrences: 0 });
  });

  it('points at a near miss that differs in case or whitespace', () => {
    const err = failure('line one\nThe  Quick\nbrown fox\n', 'the quick brown', 'x');
    assert.equal(
      err.message,
      'old_string not found in page content. The page has similar text at line 2 ("The  Quick\\nbrown") that differs ' +
        'in letter case or whitespace: copy old_string exactly from the page, or read the page again if it has changed.',
    );
  });

  it('treats regex characters in a near-miss search literally', () => {
    const err = failure('a (b) [c] {d} $e ^f | g.*+?\\ /h/', 'A (B) [C]', 'x');
    assert.match(err.message, /similar text at line 1 \("a \(b\) \[c\]"\)/);
    assert.doesNotMatch(failure('abc', '.*', 'x').message, /similar/);
  });

  it('reports ambiguity with the count, the lines and the advice to give a longer string', () => {
    const err = failure('TODO one\nfine\nTODO two\nTODO three\n', 'TODO', 'DONE');
    assert.equal(err.reason, 'old_string_ambiguous');
    assert.equal(
      err.message,
      'old_string is ambiguous: found 3 occurrences. Provide a longer unique string. ' +
        '(They start on lines 1, 3, 4; include surrounding text so that old_string matches only one of them.)',
    );
    assert.deepEqual(err.details, { reason: 'old_string_ambiguous', occurrences: 3, lines: [1, 3, 4] });
  });

  it('counts ambiguity without overlaps and names at most ten lines', () => {
    assert.equal(failure('aaaa', 'aa', 'b').details?.['occurrences'], 2);
    const many = failure('x\n'.repeat(12), 'x', 'y');
    assert.equal(many.details?.['occurrences'], 12);
    assert.match(many.message, /lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …;/);
  });

  describe('line endings', () => {
    it('matches an LF old_string on a CRLF page and writes the new text with CRLF', () => {
      assert.equal(findReplaceOnce('a\r\nb\r\nc\r\n', 'a\nb', 'x\ny'), 'x\r\ny\r\nc\r\n');
    });

    it('matches a CRLF old_string on an LF page', () => {
      assert.equal(findReplaceOnce('a\nb\nc\n', 'b\r\nc', 'z'), 'a\nz\n');
    });

    it('replaces exactly on a CRLF page when old_string has CRLF too', () => {
      assert.equal(findReplaceOnce('a\r\nb\r\n', 'a\r\nb', 'q\nr'), 'q\r\nr\r\n');
    });

    it('leaves mixed-ending pages and new text alone', () => {
      assert.equal(findReplaceOnce('a\r\nb\nc', 'b', 'x\ny'), 'a\r\nx\ny\nc');
      assert.equal(failure('a\r\nb\nc', 'a\nb', 'x').reason, 'old_string_not_found');
    });

    it('counts occurrences after line-ending matching', () => {
      assert.equal(failure('a\r\nb\r\na\r\nb\r\n', 'a\nb', 'x').details?.['occurrences'], 2);
    });

    it('refuses strings that differ only in line endings', () => {
      assert.equal(failure('a\nb\n', 'a\nb', 'a\r\nb').reason, 'identical_strings');
    });
  });
});
