import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EditError } from './edit-error.ts';
import { findSection, normalizeTitle } from './section-path.ts';
import { formatSectionPath } from './sections.ts';

const PAGE = [
  '---',
  '# frontmatter comment',
  '---',
  '# Guide', // 4
  '## Setup', // 5
  '### Install', // 6
  '#### Linux', // 7
  '#### macOS', // 8
  '### Configure', // 9
  '## Usage', // 10
  '### Install', // 11
  '## Input/Output', // 12
  '## A > B', // 13
  '## Café', // 14
  '',
].join('\n');

function found(path: string, text = PAGE): [string, number] {
  const s = findSection(text, path);
  return [formatSectionPath(s.path), s.line];
}

function failure(path: string, text = PAGE): EditError {
  try {
    findSection(text, path);
  } catch (err) {
    assert.ok(err instanceof EditError);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(path)} to fail`);
}

describe('findSection', () => {
  it('finds a unique title, case-insensitively', () => {
    assert.deepEqual(found('Configure'), ['Guide > Setup > Configure', 9]);
    assert.deepEqual(found('configure'), ['Guide > Setup > Configure', 9]);
    assert.deepEqual(found('  USAGE  '), ['Guide > Usage', 10]);
  });

  it('takes paths with " > " or "/", with or without spaces, from the top or just their tail', () => {
    for (const path of [
      'Setup > Install',
      'Setup/Install',
      'setup / install',
      'Setup>Install',
      'Guide > Setup > Install',
      'Guide/Setup/Install',
    ]) {
      assert.deepEqual(found(path), ['Guide > Setup > Install', 6], path);
    }
    assert.deepEqual(found('Usage > Install'), ['Guide > Usage > Install', 11]);
    assert.deepEqual(found('Install > Linux'), ['Guide > Setup > Install > Linux', 7]);
  });

  it('lets each segment be any descendant of the one before', () => {
    assert.deepEqual(found('Setup/Linux'), ['Guide > Setup > Install > Linux', 7]);
    assert.deepEqual(found('Guide > macOS'), ['Guide > Setup > Install > macOS', 8]);
    assert.deepEqual(found('Guide / Setup / macOS'), ['Guide > Setup > Install > macOS', 8]);
  });

  it('does not let a segment skip backwards or sideways', () => {
    assert.equal(failure('Linux > Install').reason, 'section_not_found');
    assert.equal(failure('Usage > Linux').reason, 'section_not_found');
    assert.equal(failure('Setup > Usage').reason, 'section_not_found');
  });

  it('matches titles that contain "/" or ">" themselves', () => {
    assert.deepEqual(found('Input/Output'), ['Guide > Input/Output', 12]);
    assert.deepEqual(found('guide/input/output'), ['Guide > Input/Output', 12]);
    assert.deepEqual(found('A > B'), ['Guide > A > B', 13]);
  });

  it('compares Unicode in NFC and whitespace runs as one space', () => {
    assert.deepEqual(found('CAFE\u0301'), ['Guide > Café', 14]);
    assert.deepEqual(found('Guide   >   café'), ['Guide > Café', 14]);
    assert.equal(normalizeTitle('  Straße \t Ω  '), 'straße ω');
  });

  it('ignores the frontmatter comment that looks like a heading', () => {
    assert.equal(failure('frontmatter comment').reason, 'section_not_found');
  });

  it('reports an ambiguous title with every candidate and its line', () => {
    const err = failure('install');
    assert.equal(err.code, 'invalid');
    assert.equal(err.status, 400);
    assert.equal(err.reason, 'section_ambiguous');
    assert.equal(
      err.message,
      "Section 'install' is ambiguous: it matches 2 sections:\n" +
        '  - Guide > Setup > Install (line 6)\n' +
        '  - Guide > Usage > Install (line 11)\n' +
        "Give more of the path to pick one, for example 'Guide > Setup > Install'.",
    );
    assert.deepEqual(err.details, {
      reason: 'section_ambiguous',
      query: 'install',
      candidates: ['Guide > Setup > Install', 'Guide > Usage > Install'],
      lines: [6, 11],
    });
  });

  it('prefers the one candidate whose whole path matches over tail matches', () => {
    const text = '# Notes\n# Day\n## Notes\n';
    assert.deepEqual(found('Notes', text), ['Notes', 1]);
    assert.deepEqual(found('Day/Notes', text), ['Day > Notes', 3]);
  });

  it('says when duplicate headings cannot be told apart by any path', () => {
    const text = '# Log\n## Notes\na\n## Notes\nb\n';
    const err = failure('Log > Notes', text);
    assert.equal(err.reason, 'section_ambiguous');
    assert.equal(
      err.message,
      "Section 'Log > Notes' is ambiguous: it matches 2 sections:\n" +
        '  - Log > Notes (line 2)\n' +
        '  - Log > Notes (line 4)\n' +
        'Some of these headings have the same path, so no path can tell them apart: rename one of them, ' +
        'or edit the text with a unique find-and-replace (old_string/new_string) instead.',
    );
  });

  it('tells apart duplicate titles under different parents', () => {
    const text = '# Day 1\n## Notes\nx\n# Day 2\n## Notes\ny\n';
    assert.deepEqual(found('Day 2 > Notes', text), ['Day 2 > Notes', 5]);
    assert.deepEqual(found('day 1/notes', text), ['Day 1 > Notes', 2]);
    assert.equal(failure('Notes', text).reason, 'section_ambiguous');
  });

  it('reports an ambiguous descendant path', () => {
    const text = '# A\n## X\n### Z\n## Y\n### Z\n';
    const err = failure('A/Z', text);
    assert.equal(err.reason, 'section_ambiguous');
    assert.deepEqual(err.details?.['candidates'], ['A > X > Z', 'A > Y > Z']);
  });

  it('lists every section when nothing matches', () => {
    const err = failure('Deploy');
    assert.equal(err.code, 'not_found');
    assert.equal(err.status, 404);
    assert.equal(err.reason, 'section_not_found');
    assert.equal(
      err.message,
      "Section not found: 'Deploy'. Available sections:\n" +
        [
          'Guide',
          'Guide > Setup',
          'Guide > Setup > Install',
          'Guide > Setup > Install > Linux',
          'Guide > Setup > Install > macOS',
          'Guide > Setup > Configure',
          'Guide > Usage',
          'Guide > Usage > Install',
          'Guide > Input/Output',
          'Guide > A > B',
          'Guide > Café',
        ]
          .map((p) => `  - ${p}`)
          .join('\n') +
        "\nUse one of these paths (titles separated by ' > ' or '/', letter case ignored), or just the last title if it is unique.",
    );
    assert.equal((err.details?.['available'] as string[]).length, 11);
  });

  it('says when the page has no sections at all', () => {
    const err = failure('Intro', 'no headings\n```\n# code\n```\n');
    assert.equal(
      err.message,
      "Section not found: 'Intro'. This page has no sections (no '#' headings outside code blocks). " +
        'Edit the whole page instead, or add a heading first.',
    );
    assert.deepEqual(err.details, { reason: 'section_not_found', query: 'Intro', available: [] });
  });

  it('refuses an empty path', () => {
    const err = failure('   ');
    assert.equal(err.reason, 'empty_section_path');
    assert.equal(err.code, 'invalid');
    assert.match(err.message, /Give a heading title/);
  });

  it('never matches an empty heading, and does not need separators at the ends', () => {
    const text = '#\n## Child\n';
    assert.deepEqual(found('Child', text), [' > Child', 2]);
    assert.equal(failure('/Child', text).reason, 'section_not_found');
    assert.equal(failure('Child/', text).reason, 'section_not_found');
  });

  it('works on CRLF pages', () => {
    const text = '# A\r\n## B\r\nb\r\n';
    const s = findSection(text, 'A > B');
    assert.equal(text.slice(s.start, s.end), '## B\r\nb\r\n');
  });

  it('caps long lists of sections', () => {
    const text = Array.from({ length: 105 }, (_, i) => `## S${i}\n`).join('');
    const message = failure('missing', text).message;
    assert.match(message, /  - S99\n  … and 5 more\n/);
    assert.doesNotMatch(message, /S100/);
  });
});
