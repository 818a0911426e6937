import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EditError } from './edit-error.ts';
import { appendToSection, prependToSection, readSection, replaceSection } from './section-edit.ts';

const PAGE = [
  '---',
  'title: Guide',
  '# not a heading',
  '---',
  '# Guide',
  '',
  'Intro.',
  '',
  '## Setup',
  '',
  'Setup text.',
  '',
  '### Install',
  '',
  '```sh',
  '# comment in code',
  '```',
  '',
  '## Usage',
  'Use it.',
  '',
].join('\n');

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EditError);
    return err.reason;
  }
  assert.fail('expected an EditError');
}

describe('readSection', () => {
  it('returns the heading, its text and subsections, up to the next same-level heading', () => {
    assert.equal(readSection(PAGE, 'Setup'), '## Setup\n\nSetup text.\n\n### Install\n\n```sh\n# comment in code\n```\n\n');
    assert.equal(readSection(PAGE, 'setup/install'), '### Install\n\n```sh\n# comment in code\n```\n\n');
  });

  it('runs the last section to the end of the page', () => {
    assert.equal(readSection(PAGE, 'Usage'), '## Usage\nUse it.\n');
    assert.equal(readSection('# A\n## B\nno newline', 'B'), '## B\nno newline');
  });

  it('returns the whole page for an empty path (§7.3)', () => {
    assert.equal(readSection(PAGE, ''), PAGE);
    assert.equal(readSection(PAGE, '  '), PAGE);
  });

  it('returns an empty section as just its heading line', () => {
    assert.equal(readSection('## A\n## B\n', 'A'), '## A\n');
  });

  it('keeps CRLF', () => {
    assert.equal(readSection('# A\r\nx\r\n# B\r\n', 'A'), '# A\r\nx\r\n');
  });

  it('fails for missing and ambiguous sections', () => {
    assert.equal(reason(() => readSection(PAGE, 'Deploy')), 'section_not_found');
    assert.equal(reason(() => readSection('# A\n# A\n', 'A')), 'section_ambiguous');
    assert.equal(reason(() => readSection(PAGE, 'not a heading')), 'section_not_found');
  });
});

describe('replaceSection', () => {
  it('keeps the heading and replaces the text and subsections, one blank line on each side', () => {
    assert.equal(
      replaceSection(PAGE, 'Setup', 'New setup.\n', { keepHeading: true }),
      '---\ntitle: Guide\n# not a heading\n---\n# Guide\n\nIntro.\n\n## Setup\n\nNew setup.\n\n## Usage\nUse it.\n',
    );
  });

  it('trims blank lines around the new body but keeps its first line indented', () => {
    assert.equal(
      replaceSection('# A\nold\n# B\n', 'A', '\n\n    code\n\n\n', { keepHeading: true }),
      '# A\n\n    code\n\n# B\n',
    );
  });

  it('does not duplicate the heading when the new body repeats it', () => {
    const expected = '# Guide\n\n## Setup\n\nNew.\n\n## Usage\n';
    const text = '# Guide\n\n## Setup\nold\n## Usage\n';
    assert.equal(replaceSection(text, 'Setup', '## Setup\n\nNew.', { keepHeading: true }), expected);
    assert.equal(replaceSection(text, 'Setup', '## setup ##\nNew.', { keepHeading: true }), expected);
    // a different level or title is content, not a repeat
    assert.equal(
      replaceSection(text, 'Setup', '### Setup\nNew.', { keepHeading: true }),
      '# Guide\n\n## Setup\n\n### Setup\nNew.\n\n## Usage\n',
    );
    assert.equal(replaceSection(text, 'Setup', '## Setup', { keepHeading: true }), '# Guide\n\n## Setup\n\n## Usage\n');
  });

  it('empties a section with keepHeading and an empty body', () => {
    assert.equal(replaceSection('# A\nx\n# B\ny\n', 'A', '', { keepHeading: true }), '# A\n\n# B\ny\n');
    assert.equal(replaceSection('# A\nx\n', 'A', '  \n', { keepHeading: true }), '# A\n');
  });

  it('replaces the heading too without keepHeading', () => {
    assert.equal(
      replaceSection(PAGE, 'Setup > Install', '### Installation\n\nRun `make`.', { keepHeading: false }),
      PAGE.replace('### Install\n\n```sh\n# comment in code\n```\n\n', '### Installation\n\nRun `make`.\n\n'),
    );
  });

  it('puts a blank line before the new text when the heading it replaces had none', () => {
    assert.equal(replaceSection('para\n## A\nx\n## B\n', 'A', 'loose text', { keepHeading: false }), 'para\n\nloose text\n\n## B\n');
  });

  it('deletes the section without keepHeading and with an empty body', () => {
    assert.equal(replaceSection('# A\nx\n\n# B\ny\n# C\n', 'B', '', { keepHeading: false }), '# A\nx\n\n# C\n');
    assert.equal(replaceSection('# A\nx\n\n# B\ny\n', 'B', '', { keepHeading: false }), '# A\nx\n');
    assert.equal(replaceSection('# A\nx\n# B\n', 'A', '', { keepHeading: false }), '# B\n');
    assert.equal(replaceSection('# Only\nx\n', 'Only', '', { keepHeading: false }), '');
    assert.equal(replaceSection('---\na: 1\n---\n\n# Only\n', 'Only', '', { keepHeading: false }), '---\na: 1\n---\n');
  });

  it('replaces the last section, ending the page with exactly one line break', () => {
    assert.equal(replaceSection(PAGE, 'Usage', 'Run it.\n\n\n', { keepHeading: true }), PAGE.replace('## Usage\nUse it.\n', '## Usage\n\nRun it.\n'));
    assert.equal(replaceSection('# A\nold', 'A', 'new', { keepHeading: true }), '# A\n\nnew\n');
    assert.equal(replaceSection('# A', 'A', 'new', { keepHeading: true }), '# A\n\nnew\n');
  });

  it('replaces an empty section', () => {
    assert.equal(replaceSection('## A\n## B\n', 'A', 'x', { keepHeading: true }), '## A\n\nx\n\n## B\n');
  });

  it('writes the new text with the page\'s CRLF line endings', () => {
    assert.equal(
      replaceSection('# A\r\nold\r\n# B\r\n', 'A', 'one\ntwo\n', { keepHeading: true }),
      '# A\r\n\r\none\r\ntwo\r\n\r\n# B\r\n',
    );
    assert.equal(replaceSection('# A', 'A', 'one\r\ntwo', { keepHeading: true }), '# A\r\n\r\none\r\ntwo\r\n');
  });

  it('handles Unicode titles and bodies', () => {
    assert.equal(
      replaceSection('# Café\nalt\n# 日本\n', 'cafe\u0301', 'neu 😀', { keepHeading: true }),
      '# Café\n\nneu 😀\n\n# 日本\n',
    );
  });

  it('leaves code fences in other sections alone', () => {
    const text = '# A\n```\n# B\n```\n# B\nreal\n';
    assert.equal(replaceSection(text, 'B', 'new', { keepHeading: true }), '# A\n```\n# B\n```\n# B\n\nnew\n');
  });

  it('inserts the new body literally', () => {
    assert.equal(replaceSection('# A\nx\n', 'A', 'cost: $& $1 $$', { keepHeading: true }), '# A\n\ncost: $& $1 $$\n');
  });

  it('fails like findSection', () => {
    assert.equal(reason(() => replaceSection(PAGE, 'Nope', 'x', { keepHeading: true })), 'section_not_found');
    assert.equal(reason(() => replaceSection(PAGE, '', 'x', { keepHeading: true })), 'empty_section_path');
  });
});

describe('appendToSection', () => {
  it('adds after the section\'s own text, before its first subsection', () => {
    assert.equal(
      appendToSection(PAGE, 'Setup', 'More setup.'),
      PAGE.replace('Setup text.\n\n### Install', 'Setup text.\n\nMore setup.\n\n### Install'),
    );
  });

  it('adds before the next heading of a section without subsections', () => {
    assert.equal(appendToSection('# A\nx\n# B\n', 'A', 'y'), '# A\nx\n\ny\n\n# B\n');
    assert.equal(appendToSection(PAGE, 'Install', '- [ ] check'), PAGE.replace('```\n\n## Usage', '```\n\n- [ ] check\n\n## Usage'));
  });

  it('adds at the end of the last section and of the page', () => {
    assert.equal(appendToSection(PAGE, 'Usage', 'Done.\n\n'), `${PAGE}\nDone.\n`);
    assert.equal(appendToSection('# A\nx', 'A', 'y'), '# A\nx\n\ny\n');
  });

  it('fills an empty section', () => {
    assert.equal(appendToSection('## A\n## B\n', 'A', 'x'), '## A\n\nx\n\n## B\n');
    assert.equal(appendToSection('## A\n### A1\n', 'A', 'x'), '## A\n\nx\n\n### A1\n');
  });

  it('keeps a --- in the addition from making a setext heading', () => {
    assert.equal(appendToSection('# A\nparagraph\n', 'A', '---\nnext'), '# A\nparagraph\n\n---\nnext\n');
  });

  it('uses CRLF on CRLF pages', () => {
    assert.equal(appendToSection('# A\r\nx\r\n# B\r\n', 'A', 'y\nz'), '# A\r\nx\r\n\r\ny\r\nz\r\n\r\n# B\r\n');
  });

  it('refuses an empty addition', () => {
    assert.equal(reason(() => appendToSection(PAGE, 'Setup', ' \n\n')), 'empty_addition');
  });
});

describe('prependToSection', () => {
  it('adds right after the heading line', () => {
    assert.equal(prependToSection(PAGE, 'Setup', 'First.'), PAGE.replace('## Setup\n\nSetup text.', '## Setup\n\nFirst.\n\nSetup text.'));
    assert.equal(prependToSection('# A\nx\n', 'A', 'z'), '# A\n\nz\n\nx\n');
  });

  it('adds before subsections of a section without own text', () => {
    assert.equal(prependToSection('## A\n### A1\ny\n', 'A', 'x'), '## A\n\nx\n\n### A1\ny\n');
  });

  it('works on an empty last section and on a heading without a line break', () => {
    assert.equal(prependToSection('# A\n## B\n', 'B', 'x'), '# A\n## B\n\nx\n');
    assert.equal(prependToSection('# A', 'A', 'x'), '# A\n\nx\n');
  });

  it('leaves the rest of the page, its end included, as it was', () => {
    assert.equal(prependToSection('# A\nx\n# B\nno end', 'A', 'y'), '# A\n\ny\n\nx\n# B\nno end');
  });

  it('uses CRLF on CRLF pages', () => {
    assert.equal(prependToSection('# A\r\nx\r\n', 'A', 'y'), '# A\r\n\r\ny\r\n\r\nx\r\n');
  });

  it('refuses an empty addition', () => {
    assert.equal(reason(() => prependToSection(PAGE, 'Setup', '')), 'empty_addition');
  });
});
