/**
 * Bundles every worker with esbuild into dist/<name>.js (ESM), the files
 * config.capnp embeds. CommonJS `require()` of Node builtins (isomorphic-git's
 * sha.js and safe-buffer, among others) would become esbuild's throwing
 * `__require` stub, so such requires are rewritten to static imports.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';

export const WORKER_NAMES = ['gateway', 'auth', 'oauth', 'wiki', 'mcp', 'platform'] as const;

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DIST = path.join(ROOT, 'dist');

const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/** Routes `require('buffer')` and friends to a module that statically imports `node:buffer`. */
export const builtinsToEsm: esbuild.Plugin = {
  name: 'builtins-to-esm',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.replace(/^node:/, '');
      if (args.kind !== 'require-call' || !NODE_BUILTINS.has(bare)) return undefined;
      return { path: bare, namespace: 'node-builtin-cjs' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-builtin-cjs' }, (args) => ({
      contents: `import * as m from 'node:${args.path}'; module.exports = m.default ?? m;`,
      loader: 'js',
    }));
  },
};

export function buildOptions(outdir = DIST): esbuild.BuildOptions {
  return {
    entryPoints: Object.fromEntries(WORKER_NAMES.map((w) => [w, path.join(ROOT, 'workers', w, 'index.ts')])),
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2023',
    conditions: ['workerd', 'worker', 'browser', 'import', 'module', 'default'],
    mainFields: ['browser', 'module', 'main'],
    external: ['cloudflare:*', 'node:*', ...NODE_BUILTINS],
    plugins: [builtinsToEsm],
    sourcemap: 'linked',
    // Minified: each isolate holds its bundle's source and bytecode, and six of them took 31 MiB more
    // of workerd's idle memory unminified (141 vs 172 MiB). Names are not kept: esbuild's keepNames
    // wraps every function made at run time in a `__name` call, 5% of a cached page view's work in the
    // wiki isolate (nothing here reads a function's name; errors name themselves). Stack traces map back
    // through the linked source maps. BUILD_NO_MINIFY=1 keeps names, for a CPU profile (bin/profile-worker.ts).
    minify: !process.env.BUILD_NO_MINIFY,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  };
}

/** Browser files the wiki serves at `/-/static/`: ours, and the vendored math and diagram renderers. */
const STATIC_SOURCES: { from: string; to: string }[] = [
  { from: 'workers/wiki/ui/static', to: '.' },
  { from: 'node_modules/katex/dist/katex.min.js', to: 'vendor/katex/katex.min.js' },
  { from: 'node_modules/katex/dist/katex.min.css', to: 'vendor/katex/katex.min.css' },
  { from: 'node_modules/katex/dist/fonts', to: 'vendor/katex/fonts' },
  { from: 'node_modules/mermaid/dist/mermaid.min.js', to: 'vendor/mermaid/mermaid.min.js' },
];

/** Copies the static files into `<outdir>/static`, which workerd serves through a read-only disk service. */
export function copyStaticAssets(outdir = DIST): void {
  const target = path.join(outdir, 'static');
  fs.mkdirSync(target, { recursive: true });
  for (const { from, to } of STATIC_SOURCES) {
    const source = path.join(ROOT, from);
    if (!fs.existsSync(source)) continue;
    fs.cpSync(source, path.join(target, to), { recursive: true, preserveTimestamps: true });
  }
}

/** One build; returns bundle sizes in bytes by worker. */
export async function buildWorkers(outdir = DIST): Promise<Record<string, number>> {
  copyStaticAssets(outdir);
  const result = await esbuild.build(buildOptions(outdir));
  const sizes: Record<string, number> = {};
  for (const [file, out] of Object.entries(result.metafile?.outputs ?? {})) {
    if (file.endsWith('.js')) sizes[path.basename(file, '.js')] = out.bytes;
  }
  return sizes;
}

/** Rebuilds on every source change until disposed; workerd --watch picks up the new bundles. */
export async function watchWorkers(onRebuild: (ok: boolean, ms: number) => void, outdir = DIST): Promise<esbuild.BuildContext> {
  let started = 0;
  const ctx = await esbuild.context({
    ...buildOptions(outdir),
    plugins: [
      builtinsToEsm,
      {
        name: 'report',
        setup(build) {
          build.onStart(() => {
            started = performance.now();
            copyStaticAssets(outdir);
          });
          build.onEnd((r) => onRebuild(r.errors.length === 0, Math.round(performance.now() - started)));
        },
      },
    ],
  });
  await ctx.watch();
  return ctx;
}
