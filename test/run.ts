/**
 * The test command (`npm test`): the strict type check, one build of every
 * worker, then the unit tests (beside the code) and the integration tests
 * (test/integration, each starting a real stack on ephemeral loopback ports).
 * Ends with one summary line: "N passed, N failed".
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWorkers, ROOT } from '../bin/lib/build.ts';

const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const SUITES = ['workers/**/*.test.ts', 'bin/**/*.test.ts', 'test/integration/*.test.ts'];

function step(title: string): void {
  console.log(`\n== ${title}`);
}

function typecheck(): boolean {
  let ok = true;
  for (const project of ['workers/tsconfig.json', 'tsconfig.node.json']) {
    const r = spawnSync(process.execPath, [TSC, '-p', project], { cwd: ROOT, stdio: 'inherit' });
    console.log(`tsc -p ${project}: ${r.status === 0 ? 'ok' : 'FAILED'}`);
    ok &&= r.status === 0;
  }
  return ok;
}

const started = performance.now();
step('type check (strict)');
const typesOk = typecheck();
if (process.argv.includes('--typecheck-only')) process.exit(typesOk ? 0 : 1);

step('build');
const sizes = await buildWorkers();
console.log(Object.entries(sizes).map(([n, b]) => `${n} ${(b / 1024).toFixed(0)} KiB`).join(', '));

step('unit and integration tests');
const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wikifarm-tap-')), 'results.tap');
const args = [
  '--test',
  '--test-concurrency=2',
  '--test-timeout=180000',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...(process.argv.slice(2).length ? process.argv.slice(2) : SUITES),
];
const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, WIKIFARM_PREBUILT: '1' } });

const report = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
fs.rmSync(path.dirname(tap), { recursive: true, force: true });
const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
const passed = count('pass');
const failed = count('fail') + count('cancelled') + (typesOk ? 0 : 1);
console.log(`\ntype check ${typesOk ? 'passed' : 'FAILED'}; tests took ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = typesOk && run.status === 0 && failed === 0 && passed > 0 ? 0 : 1;
