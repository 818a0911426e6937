import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachmentDir, attachmentDirOfFile, attachmentOwner, attachmentPath, isAttachmentPath } from './attachments.ts';

describe('attachment folders', () => {
  it('are named after the page', () => {
    assert.equal(attachmentDir('Another/Test'), 'Another/Test/');
    assert.equal(attachmentDir('Home'), 'Home/');
    assert.equal(attachmentPath('Another/Test', 'diagram.png'), 'Another/Test/diagram.png');
    assert.equal(attachmentDirOfFile('Another/Test.md'), 'Another/Test/');
    assert.equal(attachmentDirOfFile('Another/My Test.md'), 'Another/My Test/');
    assert.equal(attachmentDirOfFile('Notes.md.md'), 'Notes.md/');
  });
});

describe('attachmentOwner and isAttachmentPath', () => {
  const cases: Array<[string, string | null]> = [
    ['Another/Test/diagram.png', 'Another/Test'],
    ['Home/logo.svg', 'Home'],
    ['Home/README', 'Home'],
    ['Home/page.MD', 'Home'],
    ['Another/My Test/diagram.png', 'Another/My_Test'],
    ['My Folder/Sub Page/a b.pdf', 'My_Folder/Sub_Page'],
    ['Notes.md/file.txt', 'Notes.md'],
    // pages and subpages are not attachments
    ['Another/Test.md', null],
    ['Another/Test/Sub.md', null],
    // top level, hidden files, folders no page key maps to
    ['logo.png', null],
    ['Home/.DS_Store', null],
    ['.git/config', null],
    ['Docs/.obsidian/workspace.json', null],
    ['api/v1.json', null],
    ['__health/x.txt', null],
    ['Mixed_and space/x.png', 'Mixed_and_space'],
    ['Home/', null],
    ['/x.png', null],
  ];
  for (const [path, owner] of cases) {
    it(`${JSON.stringify(path)} → ${JSON.stringify(owner)}`, () => {
      assert.equal(attachmentOwner(path), owner);
      assert.equal(isAttachmentPath(path), owner !== null);
    });
  }

  it('attributes files in nested folders to the deepest page folder only', () => {
    assert.equal(attachmentOwner('A/B/C/file.bin'), 'A/B/C');
  });
});
