/** The wiki's browser files: served from a read-only disk service with the right types, nothing else reachable. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { seedWiki, startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
before(async () => {
  t = await startTestStack();
  await seedWiki(t.stack, 'demo');
});
after(() => t.stop());

it('serves vendored renderers with their content types', async () => {
  const css = await t.fetch(t.url('/-/static/vendor/katex/katex.min.css', 'demo'));
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  assert.equal(css.headers.get('x-content-type-options'), 'nosniff');
  assert.ok((await css.text()).includes('.katex'));
  const js = await t.fetch(t.url('/-/static/vendor/mermaid/mermaid.min.js', 'demo'));
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
  await js.arrayBuffer();
});

it('refuses traversal, directories and unknown types', async () => {
  for (const p of ['/-/static/%2e%2e/wiki.js', '/-/static/../gateway.js', '/-/static/vendor', '/-/static/vendor/katex/', '/-/static/x.html', '/-/static/.hidden.css', '/-/static/nope.css']) {
    const res = await t.fetch(t.url(p, 'demo'));
    await res.arrayBuffer();
    assert.equal(res.status, 404, p);
  }
});
