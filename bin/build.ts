/** `npm run build`: bundles every worker into dist/. */
import { buildWorkers } from './lib/build.ts';

const started = performance.now();
const sizes = await buildWorkers();
for (const [name, bytes] of Object.entries(sizes)) console.log(`dist/${name}.js  ${(bytes / 1024).toFixed(0)} KiB`);
console.log(`built in ${Math.round(performance.now() - started)} ms`);
