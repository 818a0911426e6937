import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestPageFile, displayTitle, legacySpaceFilePath, pageFilePath, pageKeyFromFilePath } from './page-files.ts';
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
    // names made by hand or by other git clients stand for the key typed that way
    ['Mixed_and space.md', 'Mixed_and_space'],
    ['My Folder/Sub_Page v2.md', 'My_Folder/Sub_Page_v2'],
    [' Leading.md', 'Leading'],
    ['Trailing .md', 'Trailing'],
    ['Cafe\u0301.md', 'Café'],
    ['Dir /Page.md', 'Dir/Page'],
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
    ['a//b.md', null],
    ['Docs/ .md', null],
    ['C: /Notes.md', null],
    ['x: .md', null],
    ['api/x.md', null],
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

describe('bestPageFile', () => {
  it('prefers the underscore file, then the legacy file with spaces, then other names in code-unit order', () => {
    assert.equal(bestPageFile('My_Page', ['My Page.md', 'My_Page.md']), 'My_Page.md');
    assert.equal(bestPageFile('Actors/Iran_Strategy', ['Actors/Iran Strategy.md']), 'Actors/Iran Strategy.md');
    assert.equal(bestPageFile('A_B_C', ['A_B C.md', 'A B_C.md', 'A B C.md']), 'A B C.md');
    assert.equal(bestPageFile('A_B_C', ['A_B C.md', 'A B_C.md']), 'A B_C.md');
    assert.equal(bestPageFile('Café', ['Cafe\u0301.md']), 'Cafe\u0301.md');
  });

  it('ignores files that stand for another page, and says null when none stands for it', () => {
    assert.equal(bestPageFile('New_Page', []), null);
    assert.equal(bestPageFile('Home', ['Home/x.png', 'Homes.md', 'home.md', 'Home/Sub.md']), null);
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
