import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { mirrorBranch, mirrorIdle } from './branch-mirror.ts';
import { tempDir } from './test-kit.test.ts';

const oid = (n: number) => n.toString(16).padStart(40, '0');

it('leaves the newest head on disk however close together the writes finish', async () => {
  const gitdir = path.join(tempDir(), 'w.git');
  fs.mkdirSync(path.join(gitdir, 'refs', 'heads'), { recursive: true });
  let writes = 0;
  const counting = { promises: { ...fs.promises, writeFile: (async (...args: Parameters<typeof fs.promises.writeFile>) => (writes++, fs.promises.writeFile(...args))) as typeof fs.promises.writeFile } };
  const first = mirrorBranch(counting, gitdir, oid(1));
  for (let n = 2; n <= 5; n++) void mirrorBranch(counting, gitdir, oid(n));
  await first;
  await mirrorIdle(gitdir);
  assert.equal(fs.readFileSync(path.join(gitdir, 'refs', 'heads', 'main'), 'utf8'), `${oid(5)}\n`);
  assert.ok(writes <= 2, `heads that arrived while a write was in flight are written once, as the newest (${writes} writes)`);
  await mirrorBranch(counting, gitdir, oid(6));
  assert.equal(fs.readFileSync(path.join(gitdir, 'refs', 'heads', 'main'), 'utf8'), `${oid(6)}\n`);
});
