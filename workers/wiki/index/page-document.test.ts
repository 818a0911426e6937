import assert from 'node:assert/strict';
import { it } from 'node:test';
import { linkTargetKey, pageDocument } from './page-document.ts';

it('resolves link targets the way page names resolve', () => {
  assert.equal(linkTargetKey('Some Page'), 'Some_Page');
  assert.equal(linkTargetKey('/Folder/Sub Page#Section'), 'Folder/Sub_Page');
  assert.equal(linkTargetKey('Caf%C3%A9'), 'Café');
  assert.equal(linkTargetKey('#only-an-anchor'), null);
  assert.equal(linkTargetKey('../escape'), null);
  assert.equal(linkTargetKey(''), null);
});

it('takes title, category, tags, links and searchable text from a page', () => {
  const doc = pageDocument('Topics/Alpha', '---\ntitle: The Alpha\ncategory: Research\ntags: ai, wiki\n---\n# Heading\n\nSee [[Beta]], [[Gamma page|Topics/Gamma]], [[Beta]] again, [[myself|Topics/Alpha]] and [x](/Delta).\n');
  assert.equal(doc.title, 'The Alpha');
  assert.equal(doc.category, 'Research');
  assert.deepEqual(doc.tags, ['ai', 'wiki']);
  assert.deepEqual([...doc.links].sort(), ['Beta', 'Delta', 'Topics/Gamma']);
  assert.doesNotMatch(doc.body, /^---/);
  assert.match(doc.body, /# Heading/);
});

it('falls back to the first heading, then to the page name', () => {
  assert.equal(pageDocument('X', '# From Heading\n').title, 'From Heading');
  assert.equal(pageDocument('Folder/Some_Page', 'no heading').title, 'Some Page');
});
