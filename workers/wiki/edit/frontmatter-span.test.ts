import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitFrontmatter } from '../render/frontmatter.ts';
import { frontmatterEnd } from './frontmatter-span.ts';

describe('frontmatterEnd', () => {
  const cases: Array<[string, number]> = [
    ['', 0],
    ['# Title\n', 0],
    ['---\ntitle: A\n---\n# A\n', 17],
    ['---\ntitle: A\n---\n\n# A\n', 17],
    ['---\r\ntitle: A\r\n---\r\n# A\r\n', 20],
    ['---\ntitle: A\n---', 16],
    ['---\ntitle: A\n---  \nbody', 19],
    ['---\n# a YAML comment\ntags: [x]\n---\n## H\n', 35],
    ['---\n---\n', 0],
    ['---\nno closing line\n', 0],
    [' ---\na: 1\n---\n', 0],
    ['text\n---\na: 1\n---\n', 0],
  ];
  for (const [text, end] of cases) {
    it(`${JSON.stringify(text)} → ${end}`, () => assert.equal(frontmatterEnd(text), end));
  }

  it('finds a block exactly when the renderer does, and the body starts after it', () => {
    for (const [text] of cases) {
      const split = splitFrontmatter(text);
      const end = frontmatterEnd(text);
      assert.equal(end > 0, split.raw !== null, text);
      if (end > 0) assert.ok(text.slice(end).endsWith(split.body) && text.slice(end).trim() === split.body.trim(), text);
    }
  });
});
