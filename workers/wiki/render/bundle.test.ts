/**
 * The renderer bundled with the workers' esbuild settings: it must need no Node builtin, no
 * dynamic require and no code generation from strings (workerd forbids eval and new Function),
 * and the bundle must work on its own.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { buildOptions, ROOT } from '../../../bin/lib/build.ts';

const ENTRY = `export { renderMarkdown, splitFrontmatter, pageMeta } from './workers/wiki/render/index.ts';`;

async function bundle(minify: boolean): Promise<string> {
  const { entryPoints: _e, outdir: _o, metafile: _m, sourcemap: _s, ...options } = buildOptions();
  const result = await esbuild.build({ ...options, minify, stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' }, write: false });
  return result.outputFiles[0]!.text;
}

describe('renderer bundle', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wiki-render-bundle-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has no Node builtins, dynamic requires or code generation', async (t) => {
    const out = await bundle(false);
    // esbuild's stub for a require() it could not resolve statically, and calls of it.
    assert.doesNotMatch(out, /Dynamic require of/);
    assert.doesNotMatch(out, /__require\(\s*["'`]/);
    assert.doesNotMatch(out, /from ["'](?:node:)?(?:buffer|crypto|fs|path|url|util|stream|process|os)["']/);
    assert.doesNotMatch(out, /new Function\s*\(|\bFunction\s*\(\s*["'`]/);
    assert.doesNotMatch(out, /(?<![\w.$"'])eval\s*\(/);
    const minified = await bundle(true);
    t.diagnostic(`renderer bundle: ${(out.length / 1024).toFixed(0)} KiB, minified ${(minified.length / 1024).toFixed(0)} KiB`);
    assert.ok(minified.length < 600 * 1024, `minified bundle is ${minified.length} bytes`);
  });

  it('renders on its own', async () => {
    const file = path.join(dir, 'render.mjs');
    fs.writeFileSync(file, await bundle(true));
    const mod = (await import(pathToFileURL(file).href)) as typeof import('./index.ts');
    const result = mod.renderMarkdown('---\ntitle: T\n---\n[[Page]] <script>x</script>\n\n```js\nlet a\n```', {
      pageExists: () => false,
      linkHref: (name) => `/${name}`,
    });
    assert.equal(
      result.html,
      '<details class="frontmatter"><summary>Properties</summary><pre>title: T</pre></details>\n<h1>T</h1>\n' +
        '<p><a href="/Page" class="wikilink-missing">Page</a> </p>\n' +
        '<pre><code class="hljs language-js"><span class="hljs-keyword">let</span> a\n</code></pre>\n',
    );
  });
});
