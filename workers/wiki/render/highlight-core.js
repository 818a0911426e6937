// highlight.js core, re-exported through a plain JS file so TypeScript reads the minimal types
// in highlight-core.d.ts instead of the package's own, which pull the DOM library into the
// workers' type check (`/// <reference lib="dom" />`) and clash with @cloudflare/workers-types.
export { default } from 'highlight.js/lib/core';
