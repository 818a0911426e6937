import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { tempDir } from '../../test/helpers/temp.ts';
import { LAYOUT_VERSION, prepareDataDir } from './data-dir.ts';
import { StartupError } from './fail.ts';

const tmp = () => tempDir('wikifarm-data-');
const startupError = (re: RegExp) => (e: unknown) => e instanceof StartupError && re.test(e.message);

it('creates a missing data directory with its layout', () => {
  const root = path.join(tmp(), 'nested', 'data');
  const p = prepareDataDir(root);
  for (const d of [p.sqld, p.git, p.keys, p.run]) assert.ok(fs.statSync(d).isDirectory());
  assert.equal(fs.statSync(p.keys).mode & 0o777, 0o700);
  assert.equal(fs.readFileSync(path.join(root, 'VERSION'), 'utf8').trim(), String(LAYOUT_VERSION));
  prepareDataDir(root); // and accepts it again
});

it('says clearly when the directory cannot be created or written', () => {
  const file = path.join(tmp(), 'a-file');
  fs.writeFileSync(file, '');
  assert.throws(() => prepareDataDir(path.join(file, 'data')), startupError(/cannot create the data directory/));
  assert.throws(() => prepareDataDir(file), startupError(/not a directory/));
  // /proc refuses writes even to root, who ignores permission bits.
  assert.throws(() => prepareDataDir('/proc/self'), startupError(/not writable/));
});

it('refuses a directory of another layout version or another program', () => {
  const newer = tmp();
  fs.writeFileSync(path.join(newer, 'VERSION'), `${LAYOUT_VERSION + 1}\n`);
  assert.throws(() => prepareDataDir(newer), startupError(/newer release/));
  const foreign = tmp();
  fs.writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
  assert.throws(() => prepareDataDir(foreign), startupError(/not a data directory/));
});
