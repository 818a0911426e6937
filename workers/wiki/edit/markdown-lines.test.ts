import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closesFence, colonLine, openingFence, parseAtxHeading } from './markdown-lines.ts';

describe('parseAtxHeading', () => {
  const cases: Array<[string, { level: number; title: string } | null]> = [
    ['# Title', { level: 1, title: 'Title' }],
    ['###### Six', { level: 6, title: 'Six' }],
    ['####### Seven', null],
    ['#hashtag', null],
    ['#', { level: 1, title: '' }],
    ['## ', { level: 2, title: '' }],
    ['##\tTabbed', { level: 2, title: 'Tabbed' }],
    ['   ### Indented three', { level: 3, title: 'Indented three' }],
    ['    # Four spaces is code', null],
    ['## Notes ##', { level: 2, title: 'Notes' }],
    ['## Notes ##   ', { level: 2, title: 'Notes' }],
    ['## C# Programming', { level: 2, title: 'C# Programming' }],
    ['## Ends with C#', { level: 2, title: 'Ends with C#' }],
    ['## foo#', { level: 2, title: 'foo#' }],
    ['### ###', { level: 3, title: '' }],
    ['# #5 issue', { level: 1, title: '#5 issue' }],
    ['#  Spaced   out  ', { level: 1, title: 'Spaced   out' }],
    ['# Ünïcödé 日本語 🚀', { level: 1, title: 'Ünïcödé 日本語 🚀' }],
    ['> # quoted', null],
    ['- # in a list item', null],
    ['text # not', null],
  ];
  for (const [line, expected] of cases) {
    it(`${JSON.stringify(line)}`, () => assert.deepEqual(parseAtxHeading(line), expected));
  }
});

describe('code fences', () => {
  it('open with three or more backticks or tildes after at most three spaces', () => {
    assert.deepEqual(openingFence('```'), { char: '`', length: 3 });
    assert.deepEqual(openingFence('````ts title="x"'), { char: '`', length: 4 });
    assert.deepEqual(openingFence('   ~~~~~'), { char: '~', length: 5 });
    assert.deepEqual(openingFence('~~~ with `backticks` in info'), { char: '~', length: 3 });
    assert.equal(openingFence('``'), null);
    assert.equal(openingFence('    ```'), null);
    assert.equal(openingFence('``` has `backtick'), null);
    assert.equal(openingFence('``x``'), null);
  });

  it('close with the same character, at least as many, and nothing after', () => {
    const ticks = { char: '`', length: 4 } as const;
    assert.equal(closesFence('````', ticks), true);
    assert.equal(closesFence('  `````  ', ticks), true);
    assert.equal(closesFence('```', ticks), false);
    assert.equal(closesFence('~~~~', ticks), false);
    assert.equal(closesFence('```` x', ticks), false);
    assert.equal(closesFence('    ````', ticks), false);
    assert.equal(closesFence('~~~', { char: '~', length: 3 }), true);
  });
});

describe('colonLine', () => {
  it('reads ::: lines with an optional name', () => {
    assert.deepEqual(colonLine('::: info'), { colons: 3, name: 'info' });
    assert.deepEqual(colonLine(':::::'), { colons: 5, name: '' });
    assert.deepEqual(colonLine('  :::   '), { colons: 3, name: '' });
    assert.equal(colonLine('::'), null);
    assert.equal(colonLine('::: a:b'), null);
    assert.equal(colonLine('    :::'), null);
  });
});
