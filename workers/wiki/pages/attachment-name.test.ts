import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ATTACHMENT_NAME, secureAttachmentName } from './attachment-name.ts';
import { PageNameError, type PageNameProblem } from './page-name-error.ts';

function nameOf(input: unknown): string {
  const r = secureAttachmentName(input);
  assert.ok(r.ok, `expected ${JSON.stringify(input)} to be accepted`);
  return r.name;
}

function problemOf(input: unknown): PageNameProblem {
  const r = secureAttachmentName(input);
  assert.ok(!r.ok, `expected ${JSON.stringify(input)} to be refused, got ${r.ok ? r.name : ''}`);
  assert.ok(r.error instanceof PageNameError);
  assert.equal(r.error.code, 'invalid');
  return r.error.reason;
}

describe('secureAttachmentName (werkzeug secure_filename)', () => {
  // The first block are werkzeug's own documented examples and test cases.
  const cases: Array<[string, string]> = [
    ['My cool movie.mov', 'My_cool_movie.mov'],
    ['../../../etc/passwd', 'etc_passwd'],
    ['i contain cool \u00fcml\u00e4uts.txt', 'i_contain_cool_umlauts.txt'],
    ['__filename__', 'filename'],
    ['foo$&^*)bar', 'foobar'],
    ['my report (1).pdf', 'my_report_1.pdf'],
    ['C:\\Users\\me\\photo.jpg', 'C_Users_me_photo.jpg'],
    ['a/b\\c.txt', 'a_b_c.txt'],
    ['  spaced   out  .txt', 'spaced_out_.txt'],
    ['tab\tand\nnewline.txt', 'tab_and_newline.txt'],
    ['.bashrc', 'bashrc'],
    ['...hidden...', 'hidden'],
    ['Übersicht.PDF', 'Ubersicht.PDF'],
    ['ﬁle.txt', 'file.txt'],
    ['日本.png', 'png'],
    ['résumé-final_v2.docx', 'resume-final_v2.docx'],
    ['a\u0000b.txt', 'ab.txt'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['LPT1.log', '_LPT1.log'],
    ['console.txt', 'console.txt'],
    ['README', 'README'],
    ['notes.md.txt', 'notes.md.txt'],
    ['page.MD', 'page.MD'],
  ];
  for (const [input, out] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(out)}`, () => assert.equal(nameOf(input), out));
  }

  const refused: Array<[unknown, PageNameProblem]> = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['...', 'empty'],
    ['../', 'empty'],
    ['日本語', 'empty'],
    ['😀😀', 'empty'],
    ['\uD800', 'empty'],
    ['/\\', 'empty'],
    ['_._', 'empty'],
    ['notes.md', 'page_extension'],
    ['../sub/page.md', 'page_extension'],
    ['x'.repeat(MAX_ATTACHMENT_NAME + 1), 'segment_too_long'],
    [undefined, 'not_a_string'],
    [12, 'not_a_string'],
  ];
  for (const [input, reason] of refused) {
    it(`refuses ${JSON.stringify(input)} (${reason})`, () => assert.equal(problemOf(input), reason));
  }

  it('never returns a separator, a leading dot or non-ASCII', () => {
    const nasty = ['../..//x', '.\\.\\y', ' ./z', 'ü/..', '\u202Eexe.txt', 'a\u2028b'];
    for (const input of nasty) {
      const r = secureAttachmentName(input);
      if (!r.ok) continue;
      assert.doesNotMatch(r.name, /[/\\]|^\.|[^\x20-\x7e]/, input);
    }
  });
});
