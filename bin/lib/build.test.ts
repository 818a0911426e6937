/** The bundler settings: CommonJS requires of Node builtins become static imports workerd resolves. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as esbuild from 'esbuild';
import { buildOptions, ROOT } from './build.ts';

async function bundle(contents: string): Promise<string> {
  const { entryPoints: _e, outdir: _o, metafile: _m, sourcemap: _s, ...options } = buildOptions();
  // Unminified, so the assertions can name esbuild's helpers (`__require`); minifying renames, never adds, them.
  const result = await esbuild.build({ ...options, minify: false, stdin: { contents, resolveDir: ROOT, loader: 'ts' }, write: false });
  return result.outputFiles[0]!.text;
}

it('rewrites require() of a builtin into a static node: import', async () => {
  const out = await bundle(`const { Buffer } = require('buffer'); export const b = Buffer.from('x');`);
  assert.match(out, /import \* as \w+ from "node:buffer"/);
  assert.doesNotMatch(out, /__require\(["']buffer["']\)/);
});

it('bundles isomorphic-git (CommonJS requires of buffer via sha.js) with no dynamic require left', async () => {
  const out = await bundle(`import git from 'isomorphic-git'; export default git;`);
  assert.match(out, /from "node:buffer"/);
  assert.doesNotMatch(out, /__require\(["'](node:)?(buffer|crypto|stream|util)["']\)/);
});
