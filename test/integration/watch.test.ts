/**
 * Watch mode: an edit to a worker is served about a second later. Runs on a
 * copy of the project so the test never edits the real sources.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { ROOT } from '../../bin/lib/build.ts';
import { claimPort } from '../../bin/lib/ports.ts';
import { httpFetch } from '../helpers/http.ts';
import { processesMentioning, spawnScript } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

function copyProject(): string {
  const dir = tempDir('wikifarm-watch-');
  for (const entry of ['bin', 'workers', 'db', 'config.capnp', 'package.json']) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

it('rebuilds and reloads a changed worker, serving the edit without a restart', async () => {
  const project = copyProject();
  const dataDir = path.join(project, '.data');
  const port = await claimPort('127.0.0.1', 0);
  const proc = spawnScript('bin/up.ts', ['--watch'], { DATA_DIR: dataDir, PORT: String(port), INTERNAL_PORT: '0' }, project);
  try {
    await proc.waitFor(/Wikifarm is running/);
    const landing = `http://wiki.localhost:${port}/`;
    assert.match(await (await httpFetch(landing)).text(), /Wikis for people and their AI agents/);

    const file = path.join(project, 'workers', 'platform', 'landing.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Wikis for people and their AI agents', 'Edited while watching'));
    const edited = performance.now();
    let reloadMs = -1;
    while (performance.now() - edited < 15_000) {
      try {
        if (/Edited while watching/.test(await (await httpFetch(landing)).text())) {
          reloadMs = performance.now() - edited;
          break;
        }
      } catch {
        // workerd is swapping in the new bundles
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(reloadMs > 0, `the edit was never served\n${proc.output()}`);
    // How fast is a figure, not a pass condition (it depends on the machine's load): printed for the record.
    console.log(`# watch mode: edit served after ${Math.round(reloadMs)} ms`);
    assert.match(proc.output(), /\[watch\] rebuilt in \d+ ms/);
  } finally {
    proc.child.kill('SIGTERM');
    await proc.exit;
    assert.deepEqual(processesMentioning(dataDir), []);
  }
});
