import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rewritePageLinks } from './link-rewrite.ts';

it('rewrites wikilinks in every form, keeping titles and anchors', () => {
  const text = 'A [[Old Page]], B [[Old_Page#Setup]], C [[the old one|Old Page]], D [[/Old Page]], E [[Older Page]], F [[Folder/Old Page]].';
  assert.equal(
    rewritePageLinks(text, 'Old_Page', 'Folder/New_Page'),
    'A [[Folder/New Page]], B [[Folder/New Page#Setup]], C [[the old one|Folder/New Page]], D [[Folder/New Page]], E [[Older Page]], F [[Folder/Old Page]].',
  );
});

it('rewrites Markdown links and images to the page and its attachments', () => {
  const text = '[t](/Old_Page) [u](/Old%20Page#x) ![m](/Old_Page/map.png "Map") [v](/Old_Page_Two) [w](https://example.com/Old_Page)';
  assert.equal(
    rewritePageLinks(text, 'Old_Page', 'New_Page'),
    '[t](/New_Page) [u](/New_Page#x) ![m](/New_Page/map.png "Map") [v](/Old_Page_Two) [w](https://example.com/Old_Page)',
  );
});

it('leaves code alone', () => {
  const text = 'Use `[[Old Page]]` literally.\n\n```\n[[Old Page]] and [x](/Old_Page)\n```\n\nBut [[Old Page]] here.\n';
  assert.equal(rewritePageLinks(text, 'Old_Page', 'New'), 'Use `[[Old Page]]` literally.\n\n```\n[[Old Page]] and [x](/Old_Page)\n```\n\nBut [[New]] here.\n');
});

it('changes nothing when nothing links to the page', () => {
  const text = '# Title\n\nNo links [[Other]].\n';
  assert.equal(rewritePageLinks(text, 'Old_Page', 'New'), text);
});
