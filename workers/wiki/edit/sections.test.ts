import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSectionPath, parseSections, type Section } from './sections.ts';

/** [path, level, line, section text, own text] for each section. */
function outline(text: string): Array<[string, number, number, string, string]> {
  return parseSections(text).map((s: Section) => [
    formatSectionPath(s.path),
    s.level,
    s.line,
    text.slice(s.start, s.end),
    text.slice(s.contentStart, s.bodyEnd),
  ]);
}

describe('parseSections', () => {
  it('gives nothing for a page without headings', () => {
    assert.deepEqual(parseSections(''), []);
    assert.deepEqual(parseSections('just text\n\nmore\n'), []);
  });

  it('nests by level; a section runs to the next heading of the same or a higher level', () => {
    const text = '# A\na\n## B\nb\n### C\nc\n## D\nd\n# E\ne\n';
    assert.deepEqual(outline(text), [
      ['A', 1, 1, '# A\na\n## B\nb\n### C\nc\n## D\nd\n', 'a\n'],
      ['A > B', 2, 3, '## B\nb\n### C\nc\n', 'b\n'],
      ['A > B > C', 3, 5, '### C\nc\n', 'c\n'],
      ['A > D', 2, 7, '## D\nd\n', 'd\n'],
      ['E', 1, 9, '# E\ne\n', 'e\n'],
    ]);
  });

  it('gives exact offsets', () => {
    const text = 'intro\n## One\nbody\n## Two';
    const [one, two] = parseSections(text);
    assert.deepEqual(
      { ...one },
      { level: 2, title: 'One', path: ['One'], line: 2, start: 6, contentStart: 13, bodyEnd: 18, end: 18 },
    );
    assert.deepEqual(
      { ...two },
      { level: 2, title: 'Two', path: ['Two'], line: 4, start: 18, contentStart: 24, bodyEnd: 24, end: 24 },
    );
  });

  it('runs the last section to the end of the page, with or without a final line break', () => {
    assert.deepEqual(outline('# A\n## B\nlast line'), [
      ['A', 1, 1, '# A\n## B\nlast line', ''],
      ['A > B', 2, 2, '## B\nlast line', 'last line'],
    ]);
    assert.deepEqual(outline('# Only heading'), [['Only heading', 1, 1, '# Only heading', '']]);
  });

  it('keeps empty sections', () => {
    assert.deepEqual(outline('## A\n## B\n\n## C\n'), [
      ['A', 2, 1, '## A\n', ''],
      ['B', 2, 2, '## B\n\n', '\n'],
      ['C', 2, 4, '## C\n', ''],
    ]);
  });

  it('skips levels and pops back correctly', () => {
    assert.deepEqual(
      outline('### Deep\n# Top\n#### Four\n## Two\n').map(([p, l]) => [p, l]),
      [
        ['Deep', 3],
        ['Top', 1],
        ['Top > Four', 4],
        ['Top > Two', 2],
      ],
    );
  });

  it('ignores headings inside backtick and tilde fences, until the matching close', () => {
    const text = [
      '# Real',
      '```bash',
      '# comment, not a heading',
      '~~~',
      '# still code',
      '```',
      '## After backticks',
      '~~~~ md',
      '# code',
      '```',
      '~~~',
      '# code too (three tildes do not close four)',
      '~~~~~',
      '## After tildes',
      '  ```',
      '  # indented fence content',
      '  ```',
      '## End',
      '',
    ].join('\n');
    assert.deepEqual(
      outline(text).map(([p, , line]) => [p, line]),
      [
        ['Real', 1],
        ['Real > After backticks', 7],
        ['Real > After tildes', 14],
        ['Real > End', 18],
      ],
    );
  });

  it('treats an unclosed fence as running to the end of the page', () => {
    assert.deepEqual(
      outline('# A\n```\n# not\n## not either\n').map(([p]) => p),
      ['A'],
    );
  });

  it('does not count indented code, quotes, list items or setext headings', () => {
    const text = '# A\n    # indented code\n> # quote\n- # item\nSetext\n======\nAlso\n---\n## B\n';
    assert.deepEqual(outline(text).map(([p]) => p), ['A', 'A > B']);
  });

  it('ignores the frontmatter block, whose YAML comments look like headings', () => {
    const text = '---\ntitle: Page\n# a YAML comment\n## another\ntags: [a]\n---\n# Page\nbody\n';
    assert.deepEqual(outline(text), [['Page', 1, 7, '# Page\nbody\n', 'body\n']]);
  });

  it('reads `---` blocks later in the page as ordinary Markdown', () => {
    const text = '# A\n---\n# B\n---\n';
    assert.deepEqual(outline(text).map(([p]) => p), ['A', 'B']);
  });

  it('does not count the heading line that opens a ::: fancy block', () => {
    const text = '# A\n::: info\n# Block heading\ntext\n## Inside\n:::\n# B\n:::\n# Not first line\n';
    assert.deepEqual(outline(text).map(([p, , line]) => [p, line]), [
      ['A', 1],
      ['A > Inside', 5],
      ['B', 7],
    ]);
  });

  it('handles CRLF line endings', () => {
    const text = '# A\r\na\r\n## B\r\n```\r\n# x\r\n```\r\n# C\r\n';
    assert.deepEqual(outline(text), [
      ['A', 1, 1, '# A\r\na\r\n## B\r\n```\r\n# x\r\n```\r\n', 'a\r\n'],
      ['A > B', 2, 3, '## B\r\n```\r\n# x\r\n```\r\n', '```\r\n# x\r\n```\r\n'],
      ['C', 1, 7, '# C\r\n', ''],
    ]);
    assert.equal(parseSections(text)[0]!.title, 'A');
  });

  it('keeps Unicode titles and offsets in UTF-16 units', () => {
    const text = '# Café ☕\n## 日本語\n😀 emoji line\n## Ωmega\n';
    const sections = parseSections(text);
    assert.deepEqual(sections.map((s) => s.title), ['Café ☕', '日本語', 'Ωmega']);
    assert.equal(text.slice(sections[1]!.start, sections[1]!.end), '## 日本語\n😀 emoji line\n');
  });

  it('strips closing hashes but keeps a # inside the title', () => {
    assert.deepEqual(
      parseSections('## C# Programming\n## Notes ##\n#\n').map((s) => [s.title, s.level]),
      [
        ['C# Programming', 2],
        ['Notes', 2],
        ['', 1],
      ],
    );
  });

  it('keeps duplicate titles as separate sections', () => {
    assert.deepEqual(outline('# Day 1\n## Notes\nx\n# Day 2\n## Notes\ny\n').map(([p, , l]) => [p, l]), [
      ['Day 1', 1],
      ['Day 1 > Notes', 2],
      ['Day 2', 4],
      ['Day 2 > Notes', 5],
    ]);
  });
});
