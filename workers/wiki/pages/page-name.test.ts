import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageNameError, type PageNameProblem } from './page-name-error.ts';
import {
  checkNewPageName,
  isPageKey,
  newPageNameProblem,
  MAX_KEY_CHARS,
  MAX_SEGMENT_CHARS,
  MAX_SEGMENTS,
  normalizePageName,
  pageKeyOrThrow,
  RESERVED_TOP_LEVEL,
} from './page-name.ts';

function keyOf(input: unknown): string {
  const r = normalizePageName(input);
  assert.ok(r.ok, `expected ${JSON.stringify(input)} to be valid, got ${r.ok ? '' : r.error.message}`);
  return r.key;
}

function problemOf(input: unknown): PageNameProblem {
  const r = normalizePageName(input);
  assert.ok(!r.ok, `expected ${JSON.stringify(input)} to be refused, got key ${r.ok ? r.key : ''}`);
  assert.ok(r.error instanceof PageNameError);
  assert.equal(r.error.code, 'invalid');
  assert.equal(r.error.status, 400);
  assert.ok(r.error.message.length > 10, 'message explains the problem');
  assert.deepEqual(r.error.details, { reason: r.error.reason });
  return r.error.reason;
}

describe('normalizePageName: valid names', () => {
  const cases: Array<[string, string]> = [
    ['Home', 'Home'],
    ['home', 'home'],
    ['HOME.MD', 'HOME.MD'],
    ['Home.md', 'Home'],
    ['Notes.md.md', 'Notes.md'],
    ['NAS Setup', 'NAS_Setup'],
    ['NAS_Setup', 'NAS_Setup'],
    ['Actors/Iran Strategy', 'Actors/Iran_Strategy'],
    ['Actors/Iran_Strategy.md', 'Actors/Iran_Strategy'],
    ['  Actors / Iran Strategy  ', 'Actors/Iran_Strategy'],
    ['a//b///c', 'a/b/c'],
    ['a/b/', 'a/b'],
    ['a/ /b', 'a/b'],
    ['Two  spaces', 'Two__spaces'],
    ['No\u00A0break', 'No_break'],
    ['Ideographic\u3000space', 'Ideographic_space'],
    ['Report.Final', 'Report.Final'],
    ['C++ notes', 'C++_notes'],
    ['What? #1 $100 | !', 'What?_#1_$100_|_!'],
    ['Über/Straße', 'Über/Straße'],
    ['日本語/ページ', '日本語/ページ'],
    ['emoji 🎉 party', 'emoji_🎉_party'],
    ['family 👨‍👩‍👧', 'family_👨‍👩‍👧'],
    ['-dash', '-dash'],
    ['Docs/-', 'Docs/-'],
    ['_private', '_private'],
    ['Docs/__init__', 'Docs/__init__'],
    ['API', 'API'],
    ['Mcp', 'Mcp'],
    ['apis', 'apis'],
    ['Docs/api', 'Docs/api'],
    ['Docs/mcp/token', 'Docs/mcp/token'],
    ['a.', 'a.'],
  ];
  for (const [input, key] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(key)}`, () => assert.equal(keyOf(input), key));
  }

  it('NFC-normalises decomposed input', () => {
    const decomposed = 'Cafe\u0301/Re\u0301sume\u0301';
    assert.equal(keyOf(decomposed), 'Caf\u00e9/R\u00e9sum\u00e9');
    assert.equal(keyOf(decomposed), keyOf('Café/Résumé'));
  });

  it('treats spaces and underscores alike and keeps case', () => {
    assert.equal(keyOf('My Page'), keyOf('My_Page'));
    assert.notEqual(keyOf('My Page'), keyOf('my page'));
  });

  it('strips only one trailing lowercase .md', () => {
    assert.equal(keyOf('a.md'), 'a');
    assert.equal(keyOf('a.md.md'), 'a.md');
    assert.equal(keyOf('a.MD'), 'a.MD');
    assert.equal(keyOf('a.md '), 'a');
  });

  it('accepts names exactly at the limits', () => {
    assert.equal(keyOf('x'.repeat(MAX_SEGMENT_CHARS)), 'x'.repeat(MAX_SEGMENT_CHARS));
    const deep = Array.from({ length: MAX_SEGMENTS }, () => 'd').join('/');
    assert.equal(keyOf(deep), deep);
    const seg = 'y'.repeat(100);
    const long = [seg, seg, seg, seg, 'z'.repeat(MAX_KEY_CHARS - 4 * 101)].join('/');
    assert.equal(long.length, MAX_KEY_CHARS);
    assert.equal(keyOf(long), long);
    // 200 astral characters are 200 code points but 800 bytes: too many bytes.
    assert.equal(keyOf('é'.repeat(125)), 'é'.repeat(125)); // 250 bytes
  });

  it('is idempotent on its output', () => {
    for (const input of ['NAS Setup', 'a//b/c.md', ' Über / Straße ', 'Notes.md.md']) {
      const key = keyOf(input);
      assert.ok(isPageKey(key), key);
    }
  });
});

describe('normalizePageName: hostile and invalid names', () => {
  const table: Array<[unknown, PageNameProblem]> = [
    [undefined, 'not_a_string'],
    [null, 'not_a_string'],
    [42, 'not_a_string'],
    [['Home'], 'not_a_string'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['/', 'empty'],
    ['///', 'empty'],
    [' / / ', 'empty'],
    ['.md', 'empty'],
    ['/.md', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['/Home', 'absolute'],
    ['C:/Windows/win.ini', 'absolute'],
    ['C: /Notes', 'absolute'],
    ['c:', 'absolute'],
    ['..\\..\\boot.ini', 'backslash'],
    ['Docs\\Page', 'backslash'],
    ['\\\\server\\share', 'backslash'],
    ['..', 'dot_segment'],
    ['.', 'dot_segment'],
    ['../etc/passwd', 'dot_segment'],
    ['a/../b', 'dot_segment'],
    ['a/./b', 'dot_segment'],
    ['a/..', 'dot_segment'],
    ['a/ .. /b', 'dot_segment'],
    ['.git', 'hidden_segment'],
    ['.git/config', 'hidden_segment'],
    ['.GIT', 'hidden_segment'],
    ['.well-known/openid-configuration', 'hidden_segment'],
    ['.hidden', 'hidden_segment'],
    ['Docs/.hidden', 'hidden_segment'],
    ['Docs/.git/HEAD', 'hidden_segment'],
    ['...', 'hidden_segment'],
    ['.htaccess', 'hidden_segment'],
    ['a\u0000b', 'control_character'],
    ['\u0000', 'control_character'],
    ['Home\n', 'control_character'],
    ['Line\nBreak', 'control_character'],
    ['Carriage\rReturn', 'control_character'],
    ['Tab\there', 'control_character'],
    ['Esc\u001b[31m', 'control_character'],
    ['Del\u007f', 'control_character'],
    ['C1\u0085', 'control_character'],
    ['Line\u2028Sep', 'control_character'],
    ['Para\u2029Sep', 'control_character'],
    ['evil\u202Etxt.exe', 'control_character'],
    ['isolate\u2066x\u2069', 'control_character'],
    ['rtl\u200Fmark', 'control_character'],
    ['\uFEFFBOM', 'control_character'],
    ['lone \uD800 high', 'invalid_unicode'],
    ['lone \uDC00 low', 'invalid_unicode'],
    ['swapped \uDE00\uD83D', 'invalid_unicode'],
    ['x'.repeat(MAX_SEGMENT_CHARS + 1), 'segment_too_long'],
    [`Docs/${'x'.repeat(MAX_SEGMENT_CHARS + 1)}`, 'segment_too_long'],
    ['é'.repeat(126), 'segment_too_long'],
    ['😀'.repeat(63), 'segment_too_long'],
    [Array.from({ length: MAX_SEGMENTS + 1 }, () => 'd').join('/'), 'too_deep'],
    [Array.from({ length: 3 }, () => 'y'.repeat(200)).join('/'), 'too_long'],
    ['mcp', 'reserved'],
    ['mcp/tools', 'reserved'],
    ['authorize', 'reserved'],
    ['token', 'reserved'],
    ['register', 'reserved'],
    ['revoke', 'reserved'],
    ['api', 'reserved'],
    ['api/v1/pages', 'reserved'],
    ['api.md', 'reserved'],
    ['-', 'reserved'],
    ['-/settings', 'reserved'],
    ['auth', 'reserved'],
    ['auth/callback', 'reserved'],
    ['/api', 'absolute'],
    ['__health', 'reserved'],
    ['__', 'reserved'],
    ['__anything/else', 'reserved'],
    ['_ _x', 'reserved'],
    ['  mcp  ', 'reserved'],
    ['mcp/', 'reserved'],
  ];
  for (const [input, reason] of table) {
    it(`${JSON.stringify(input)?.slice(0, 60) ?? String(input)} → ${reason}`, () => assert.equal(problemOf(input), reason));
  }

  it('covers every reserved top-level name', () => {
    for (const name of RESERVED_TOP_LEVEL) {
      const reason = problemOf(name);
      assert.ok(reason === 'reserved' || reason === 'hidden_segment', `${name}: ${reason}`);
    }
  });

  it('gives a message that names the problem', () => {
    const r = normalizePageName('api/x');
    assert.ok(!r.ok);
    assert.match(r.error.message, /"api" is reserved/);
    const d = normalizePageName('a/../b');
    assert.ok(!d.ok);
    assert.match(d.error.message, /"\.\."/);
    const b = normalizePageName('a\\b');
    assert.ok(!b.ok);
    assert.match(b.error.message, /backslash/);
    const l = normalizePageName('x'.repeat(300));
    assert.ok(!l.ok);
    assert.match(l.error.message, /at most 200 characters/);
    assert.ok(l.error.message.length < 200, 'long names are shortened in messages');
  });
});

describe('pageKeyOrThrow and isPageKey', () => {
  it('returns the key or throws the PageNameError', () => {
    assert.equal(pageKeyOrThrow('My Page'), 'My_Page');
    assert.throws(() => pageKeyOrThrow('../x'), (e: unknown) => e instanceof PageNameError && e.reason === 'dot_segment');
  });

  it('recognises canonical keys only', () => {
    for (const key of ['Home', 'My_Page', 'a/b/c', 'Notes.md', 'Über']) assert.ok(isPageKey(key), key);
    for (const notKey of ['My Page', 'a//b', '/a', 'a/', ' a', 'api', '.git', '', 'Cafe\u0301']) {
      assert.equal(isPageKey(notKey), false, notKey);
    }
  });
});

describe('newPageNameProblem: characters new pages may not use', () => {
  it('refuses # ? : | $ . ! and \\ in any segment, naming each character found once', () => {
    for (const key of ['A#1', 'Why?', 'Meeting:_Monday', 'a|b', 'Cost_$5', 'Report.Final', 'Wow!', 'Notes/v1.2', 'x/y:z/w']) {
      const problem = newPageNameProblem(key);
      assert.ok(problem instanceof PageNameError, key);
      assert.equal(problem.reason, 'forbidden_character');
      assert.equal(problem.status, 400);
    }
    const p = newPageNameProblem('What?_#1:_#2?');
    assert.ok(p);
    assert.match(p.message, /^"What\? #1: #2\?" cannot be the name of a new page: it contains "\?" and "#" and ":"\./);
    assert.match(p.message, /may not contain # \? : \| \$ \. ! or \\/);
  });

  it('accepts everything else a page key may hold', () => {
    for (const key of ['Home', 'NAS_Setup', 'C++_notes', 'Über/Straße', 'emoji_🎉', '-dash', 'a-b_(c)', "Don't", 'Q&A', '100%', 'a,b;c=d', 'x@y', '[draft]', '~tilde']) {
      assert.equal(newPageNameProblem(key), null, key);
    }
  });

  it('leaves reading such names alone: they stay valid page keys for existing files', () => {
    assert.equal(pageKeyOrThrow('What? #1 $100 | !'), 'What?_#1_$100_|_!');
    assert.equal(pageKeyOrThrow('Meeting: 2024.01.05'), 'Meeting:_2024.01.05');
  });

  it('refuses names whose address opens something else: an action, an attachment, a revision', () => {
    for (const [key, opens] of [
      ['Letters/a/Intro', /an attachment of another page/],
      ['Colors/view/defaced', /a revision of another page/],
      ['Notes/view/0123abc', /a revision of another page/],
      ['Notes/edit', /the edit page of another page/],
      ['Project/Plan/history', /the history page of another page/],
      ['Files/attachments', /the attachments page of another page/],
    ] as const) {
      const problem = newPageNameProblem(key);
      assert.ok(problem instanceof PageNameError, key);
      assert.equal(problem.reason, 'shadowed', key);
      assert.match(problem.message, opens, key);
    }
    // The same words elsewhere in a name are fine, and a lone top-level page is its own address.
    for (const key of ['edit', 'History', 'a/Intro', 'Notes/a', 'Notes/view/Plan', 'Notes/view/abc', 'Notes/Edit', 'A/b/Intro', 'view/Notes']) {
      assert.equal(newPageNameProblem(key), null, key);
    }
  });

  it('checkNewPageName returns the key or throws', () => {
    assert.equal(checkNewPageName('Fine_Name'), 'Fine_Name');
    assert.throws(() => checkNewPageName('Bad#Name'), (e: unknown) => e instanceof PageNameError && e.reason === 'forbidden_character');
  });
});
