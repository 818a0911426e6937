import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createHeadingIds, slugify } from './slugify.ts';

it('slugifies like Otterwiki: NFKD to ASCII, lowercase, punctuation removed, spaces to -', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
  assert.equal(slugify('Hello, World!'), 'hello-world');
  assert.equal(slugify('Ünïcödé Straße'), 'unicode-strae');
  assert.equal(slugify('  A  -  B  '), 'a-b');
  assert.equal(slugify('C++ & Rust'), 'c-rust');
  assert.equal(slugify('snake_case stays'), 'snake_case-stays');
  assert.equal(slugify('Trailing ?'), 'trailing-');
  assert.equal(slugify('日本語'), '');
  assert.equal(slugify('ﬁle Ⅳ'), 'file-iv');
});

it('numbers repeated heading ids -1, -2, … per slug', () => {
  const id = createHeadingIds();
  assert.deepEqual(
    ['Intro', 'Intro', 'Setup', 'intro!', 'Setup'].map(id),
    ['intro', 'intro-1', 'setup', 'intro-2', 'setup-1'],
  );
});
