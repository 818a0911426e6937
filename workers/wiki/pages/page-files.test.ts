import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayTitle, legacySpaceFilePath, pageFilePath, pageKeyFromFilePath, resolvePageFile } from './page-files.ts';
import { pageKeyOrThrow } from './page-name.ts';

describe('pageFilePath and legacySpaceFilePath', () => {
  it('append .md to the key, with or without underscores turned into spaces', () => {
    assert.equal(pageFilePath('Home'), 'Home.md');
    assert.equal(pageFilePath('Actors/Iran_Strategy'), 'Actors/Iran_Strategy.md');
    assert.equal(pageFilePath('Notes.md'), 'Notes.md.md');
    assert.equal(legacySpaceFilePath('Actors/Iran_Strategy'), 'Actors/Iran Strategy.md');
    assert.equal(legacySpaceFilePath('My_Folder/Sub_Page'), 'My Folder/Sub Page.md');
    assert.equal(legacySpaceFilePath('Home'), 'Home.md');
  });
});

describe('pageKeyFromFilePath', () => {
  const cases: Array<[string, string | null]> = [
    ['Home.md', 'Home'],
    ['Actors/Iran_Strategy.md', 'Actors/Iran_Strategy'],
    ['Actors/Iran Strategy.md', 'Actors/Iran_Strategy'],
    ['My Folder/Sub Page.md', 'My_Folder/Sub_Page'],
    ['Notes.md.md', 'Notes.md'],
    ['Über/Straße.md', 'Über/Straße'],
    ['Another/Test/Sub.md', 'Another/Test/Sub'],
    // not pages
    ['Another/Test/diagram.png', null],
    ['README', null],
    ['Home.MD', null],
    ['Home.markdown', null],
    ['.md', null],
    ['Docs/.md', null],
    ['.hidden.md', null],
    ['Docs/.obsidian/x.md', null],
    ['api.md', null],
    ['__health.md', null],
    ['Mixed_and space.md', null],
    [' Leading.md', null],
    ['Trailing .md', null],
    ['a//b.md', null],
    ['Cafe\u0301.md', null],
  ];
  for (const [path, key] of cases) {
    it(`${JSON.stringify(path)} → ${JSON.stringify(key)}`, () => assert.equal(pageKeyFromFilePath(path), key));
  }

  it('round-trips with pageFilePath for normalised keys', () => {
    for (const input of ['Home', 'A B/C D', 'x.md.md', 'Über uns', '日本語/ページ']) {
      const key = pageKeyOrThrow(input);
      assert.equal(pageKeyFromFilePath(pageFilePath(key)), key);
      assert.equal(pageKeyFromFilePath(legacySpaceFilePath(key)), key);
    }
  });
});

describe('resolvePageFile', () => {
  const existing = (...paths: string[]) => (p: string): boolean => paths.includes(p);

  it('prefers the underscore file', () => {
    assert.equal(resolvePageFile('My_Page', existing('My_Page.md', 'My Page.md')), 'My_Page.md');
  });

  it('falls back to the legacy-space file', () => {
    assert.equal(resolvePageFile('Actors/Iran_Strategy', existing('Actors/Iran Strategy.md')), 'Actors/Iran Strategy.md');
  });

  it('returns the underscore file for a page that does not exist yet', () => {
    assert.equal(resolvePageFile('New_Page', existing()), 'New_Page.md');
    assert.equal(resolvePageFile('Home', existing()), 'Home.md');
  });

  it('asks only what it needs', () => {
    const asked: string[] = [];
    resolvePageFile('Plain', (p) => {
      asked.push(p);
      return false;
    });
    assert.deepEqual(asked, ['Plain.md']);
    asked.length = 0;
    resolvePageFile('A_B', (p) => {
      asked.push(p);
      return p === 'A_B.md';
    });
    assert.deepEqual(asked, ['A_B.md']);
  });
});

describe('displayTitle', () => {
  it('shows the last segment with spaces', () => {
    assert.equal(displayTitle('Actors/Iran_Strategy'), 'Iran Strategy');
    assert.equal(displayTitle('Home'), 'Home');
    assert.equal(displayTitle('a/b/snake__case'), 'snake  case');
    assert.equal(displayTitle('Notes.md'), 'Notes.md');
  });
});
