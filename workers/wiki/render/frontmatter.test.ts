import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageMeta, splitFrontmatter } from './frontmatter.ts';

describe('splitFrontmatter', () => {
  it('reads a leading YAML mapping and returns the body after it', () => {
    assert.deepEqual(splitFrontmatter('---\ntitle: Hello\ntags: [a, b]\n---\n# Body\n'), {
      data: { title: 'Hello', tags: ['a', 'b'] },
      raw: 'title: Hello\ntags: [a, b]',
      body: '# Body\n',
    });
  });

  it('tolerates CRLF line ends', () => {
    assert.deepEqual(splitFrontmatter('---\r\ntitle: Hello\r\ncategory: Notes\r\n---\r\nBody\r\n'), {
      data: { title: 'Hello', category: 'Notes' },
      raw: 'title: Hello\ncategory: Notes',
      body: 'Body\r\n',
    });
  });

  it('needs the block at the very start', () => {
    const text = 'Intro\n---\ntitle: x\n---\n';
    assert.deepEqual(splitFrontmatter(text), { data: null, raw: null, body: text });
    const indented = ' ---\ntitle: x\n---\n';
    assert.deepEqual(splitFrontmatter(indented), { data: null, raw: null, body: indented });
  });

  it('does not recognise an empty ---\\n--- block or an unclosed one', () => {
    for (const text of ['---\n---\nbody', '---\ntitle: x\nbody', '---']) {
      assert.deepEqual(splitFrontmatter(text), { data: null, raw: null, body: text });
    }
  });

  it('gives data null for YAML that is not a mapping or does not parse, but still splits it off', () => {
    assert.deepEqual(splitFrontmatter('---\n- a\n- b\n---\nbody'), { data: null, raw: '- a\n- b', body: 'body' });
    assert.deepEqual(splitFrontmatter('---\njust text\n---\nbody'), { data: null, raw: 'just text', body: 'body' });
    assert.deepEqual(splitFrontmatter('---\ntitle: [unclosed\n---\nbody'), { data: null, raw: 'title: [unclosed', body: 'body' });
    assert.deepEqual(splitFrontmatter('---\n\n---\nbody'), { data: null, raw: '', body: 'body' });
  });

  it('loads safely: no custom tags, duplicate keys keep the last value, __proto__ is a plain key', () => {
    assert.equal(splitFrontmatter('---\nx: !!js/function "function(){}"\n---\n').data?.['x'], 'function(){}');
    assert.deepEqual(splitFrontmatter('---\na: 1\na: 2\n---\n').data, { a: 2 });
    const data = splitFrontmatter('---\n__proto__:\n  polluted: true\n---\n').data;
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
  });

  it('caps alias expansion (billion laughs)', () => {
    const bomb = ['---', 'a: &a ["x","x","x","x","x","x","x","x","x"]']
      .concat(['b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`))
      .concat(['---', ''])
      .join('\n');
    assert.equal(splitFrontmatter(bomb).data, null);
  });
});

describe('pageMeta', () => {
  it('takes title, category and tags (list or comma string)', () => {
    assert.deepEqual(pageMeta({ title: ' My Page ', category: 'Notes', tags: ['a', ' b ', 'a', ''] }), {
      title: 'My Page',
      category: 'Notes',
      tags: ['a', 'b'],
    });
    assert.deepEqual(pageMeta({ tags: 'x, y ,,z' }), { tags: ['x', 'y', 'z'] });
    assert.deepEqual(pageMeta({ title: 2024, tags: [1, 2] }), { title: '2024', tags: ['1', '2'] });
  });

  it('ignores missing, empty and non-text values', () => {
    assert.deepEqual(pageMeta(null), { tags: [] });
    assert.deepEqual(pageMeta({ title: '', category: { a: 1 }, tags: 7 }), { tags: [] });
    assert.deepEqual(pageMeta({ title: '"Quoted"' }), { title: 'Quoted', tags: [] });
  });
});
