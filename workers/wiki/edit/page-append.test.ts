import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EditError } from './edit-error.ts';
import { appendText, prependText } from './page-append.ts';

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EditError);
    assert.equal(err.code, 'invalid');
    return err.reason;
  }
  assert.fail('expected an EditError');
}

describe('appendText', () => {
  const cases: Array<[string, string, string, string]> = [
    ['a page with a final line break', '# Log\n\nfirst\n', 'second', '# Log\n\nfirst\n\nsecond\n'],
    ['a page without one', '# Log\n\nfirst', 'second', '# Log\n\nfirst\n\nsecond\n'],
    ['a page ending in blank lines', 'first\n\n\n  \n', 'second', 'first\n\nsecond\n'],
    ['an addition with its own line breaks', 'first\n', '\n\nsecond\nthird\n\n\n', 'first\n\nsecond\nthird\n'],
    ['an empty page', '', 'only', 'only\n'],
    ['a blank page', '\n\n', 'only', 'only\n'],
    ['a frontmatter-only page', '---\ntags: [a]\n---\n', 'body', '---\ntags: [a]\n---\n\nbody\n'],
    ['a paragraph then ---', 'paragraph\n', '---\nmore', 'paragraph\n\n---\nmore\n'],
    ['a list then a paragraph', '- a\n- b\n', 'after', '- a\n- b\n\nafter\n'],
    ['an indented code addition', 'text\n', '    code()', 'text\n\n    code()\n'],
    ['a closed fence', '```\ncode\n```\n', 'after', '```\ncode\n```\n\nafter\n'],
    ['Unicode', '# Café\n', 'naïve 日本語 😀', '# Café\n\nnaïve 日本語 😀\n'],
    ['a literal $&', 'a\n', '$& $1', 'a\n\n$& $1\n'],
  ];
  for (const [name, text, addition, expected] of cases) {
    it(name, () => assert.equal(appendText(text, addition), expected));
  }

  it('writes the addition with the page\'s CRLF line endings', () => {
    assert.equal(appendText('a\r\nb\r\n', 'c\nd\n'), 'a\r\nb\r\n\r\nc\r\nd\r\n');
    assert.equal(appendText('one line', 'c\r\nd'), 'one line\r\n\r\nc\r\nd\r\n');
    assert.equal(appendText('a\nb\n', 'c\r\nd'), 'a\nb\n\nc\nd\n');
  });

  it('is stable: appending twice gives one blank line between each part', () => {
    assert.equal(appendText(appendText('a\n', 'b\n'), 'c\n'), 'a\n\nb\n\nc\n');
  });

  it('refuses an empty or blank addition', () => {
    assert.equal(reason(() => appendText('a\n', '')), 'empty_addition');
    assert.equal(reason(() => appendText('a\n', ' \n\t\n')), 'empty_addition');
  });
});

describe('prependText', () => {
  const cases: Array<[string, string, string, string]> = [
    ['a plain page', 'body\n', 'new', 'new\n\nbody\n'],
    ['a page starting with blank lines', '\n\nbody\n', 'new', 'new\n\nbody\n'],
    ['a page without a final line break (left as it was)', 'body', 'new', 'new\n\nbody'],
    ['an empty page', '', 'new', 'new\n'],
    ['after the frontmatter', '---\ntags: a\n---\nbody\n', 'new', '---\ntags: a\n---\n\nnew\n\nbody\n'],
    ['after the frontmatter and blank lines', '---\ntags: a\n---\n\n\nbody\n', 'new', '---\ntags: a\n---\n\nnew\n\nbody\n'],
    ['after a # comment in the frontmatter', '---\n# comment\n---\n## Section\n', 'new', '---\n# comment\n---\n\nnew\n\n## Section\n'],
    ['after the H1 title', '# Title\nbody\n', 'new', '# Title\n\nnew\n\nbody\n'],
    ['after frontmatter and title', '---\ntags: a\n---\n# Title\n\nbody\n', 'new', '---\ntags: a\n---\n# Title\n\nnew\n\nbody\n'],
    ['after a title preceded by blank lines', '\n# Title\n', 'new', '\n# Title\n\nnew\n'],
    ['after a closed-hash title', '# Title #\n', 'new', '# Title #\n\nnew\n'],
    ['after a setext title', 'Title\n=====\nbody\n', 'new', 'Title\n=====\n\nnew\n\nbody\n'],
    ['before an H2 (not a title)', '## Section\nbody\n', 'new', 'new\n\n## Section\nbody\n'],
    ['before a setext H2', 'Title\n-----\n', 'new', 'new\n\nTitle\n-----\n'],
    ['before a later H1', 'intro\n# Title\n', 'new', 'new\n\nintro\n# Title\n'],
    ['a frontmatter-only page', '---\na: 1\n---\n', 'new', '---\na: 1\n---\n\nnew\n'],
    ['a title-only page without a line break', '# Title', 'new', '# Title\n\nnew\n'],
    ['Unicode', '# Überblick\nText\n', '日本語 😀', '# Überblick\n\n日本語 😀\n\nText\n'],
  ];
  for (const [name, text, addition, expected] of cases) {
    it(name, () => assert.equal(prependText(text, addition), expected));
  }

  it('can put the text before the title', () => {
    assert.equal(prependText('# Title\nbody\n', 'new', { afterTitle: false }), 'new\n\n# Title\nbody\n');
    assert.equal(
      prependText('---\na: 1\n---\n# Title\n', 'new', { afterTitle: false }),
      '---\na: 1\n---\n\nnew\n\n# Title\n',
    );
  });

  it('writes the addition with the page\'s CRLF line endings', () => {
    assert.equal(
      prependText('---\r\na: 1\r\n---\r\n# T\r\nbody\r\n', 'x\ny'),
      '---\r\na: 1\r\n---\r\n# T\r\n\r\nx\r\ny\r\n\r\nbody\r\n',
    );
  });

  it('refuses an empty addition', () => {
    assert.equal(reason(() => prependText('a\n', '\n')), 'empty_addition');
  });
});
