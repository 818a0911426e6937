/**
 * The start command as a real process: it comes up, prints its URLs, stops
 * cleanly on SIGTERM and SIGINT, keeps its keys and data across restarts, and
 * turns each bad start into one clear message and a non-zero exit.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { claimPort } from '../../bin/lib/ports.ts';
import { httpFetch } from '../helpers/http.ts';
import { processesMentioning, runScript, spawnScript } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

const READY = /Wikifarm is running/;

async function up(dataDir: string, extraEnv: Record<string, string> = {}) {
  const port = await claimPort('127.0.0.1', 0);
  const proc = spawnScript('bin/up.ts', ['--no-build'], { DATA_DIR: dataDir, PORT: String(port), INTERNAL_PORT: '0', ...extraEnv });
  return { proc, port };
}

async function stopAndCheckClean(proc: ReturnType<typeof spawnScript>, dataDir: string, signal: NodeJS.Signals = 'SIGTERM') {
  proc.child.kill(signal);
  const exit = await proc.exit;
  assert.equal(exit.code, 0, `exit ${exit.code} ${exit.signal}\n${proc.output()}`);
  assert.match(proc.output(), /\[up\] stopped/);
  assert.deepEqual(processesMentioning(dataDir), [], 'no sqld or workerd left behind');
  assert.equal(fs.existsSync(path.join(dataDir, 'run', 'owner.json')), false, 'lock released');
}

describe('the start command', () => {
  it('starts, prints the URLs, answers, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const { proc, port } = await up(dataDir);
    const out = await proc.waitFor(READY);
    assert.match(out, new RegExp(`apex\\s+http://wiki\\.localhost:${port}/`));
    assert.match(out, new RegExp(`wikis\\s+http://\\{slug\\}\\.wiki\\.localhost:${port}/`));
    assert.match(out, /generated session\.jwk\.json, atproto-client\.jwk\.json, data\.key/);
    const res = await httpFetch(`http://wiki.localhost:${port}/healthz`);
    assert.equal(res.status, 200);
    assert.ok(processesMentioning(dataDir).length >= 2, 'sqld and workerd run');
    await stopAndCheckClean(proc, dataDir);
  });

  it('keeps its keys and data across restarts, and stops on SIGINT too', async () => {
    const dataDir = tempDir();
    const first = await up(dataDir);
    await first.proc.waitFor(READY);
    const added = await runScript('bin/admin.ts', ['user', 'add', 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', 'keeper.example.com'], { DATA_DIR: dataDir });
    assert.equal(added.code, 0, added.output);
    const keysBefore = fs.readdirSync(path.join(dataDir, 'keys')).map((f) => fs.readFileSync(path.join(dataDir, 'keys', f), 'utf8'));
    await stopAndCheckClean(first.proc, dataDir, 'SIGINT');

    const second = await up(dataDir);
    const out = await second.proc.waitFor(READY);
    assert.doesNotMatch(out, /generated/, 'no new keys');
    assert.doesNotMatch(out, /applied \d+ of/, 'no migrations to apply');
    const keysAfter = fs.readdirSync(path.join(dataDir, 'keys')).map((f) => fs.readFileSync(path.join(dataDir, 'keys', f), 'utf8'));
    assert.deepEqual(keysAfter, keysBefore);
    const listed = await runScript('bin/admin.ts', ['user', 'list'], { DATA_DIR: dataDir });
    assert.match(listed.output, /keeper\.example\.com/);
    await stopAndCheckClean(second.proc, dataDir);
  });

  it('leaves nothing behind even when the supervisor is killed with SIGKILL, and starts again', async () => {
    const dataDir = tempDir();
    const first = await up(dataDir);
    await first.proc.waitFor(READY);
    const orphans = processesMentioning(dataDir);
    assert.ok(orphans.length >= 2);
    first.proc.child.kill('SIGKILL');
    await first.proc.exit;
    const deadline = Date.now() + 10_000;
    while (processesMentioning(dataDir).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(processesMentioning(dataDir), [], 'sqld and workerd followed their supervisor');
    const second = await up(dataDir);
    await second.proc.waitFor(READY);
    for (const pid of orphans) assert.ok(!processesMentioning(dataDir).includes(pid), `orphan ${pid} stopped`);
    await stopAndCheckClean(second.proc, dataDir);
  });
});

describe('a bad start gets one clear message and a non-zero exit', () => {
  async function expectFailure(env: Record<string, string>, message: RegExp) {
    const port = env.PORT ?? String(await claimPort('127.0.0.1', 0));
    const { code, output } = await runScript('bin/up.ts', ['--no-build'], { PORT: port, INTERNAL_PORT: '0', ...env });
    assert.equal(code, 1, output);
    assert.match(output, message);
    assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
    return output;
  }

  it('a data directory that cannot be written', async () => {
    await expectFailure({ DATA_DIR: '/proc/self/wikifarm' }, /cannot start: cannot create the data directory/);
    await expectFailure({ DATA_DIR: '/etc/hostname/wikifarm' }, /cannot start: cannot create the data directory/);
  });

  it('a port in use', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = tempDir();
    try {
      await expectFailure({ DATA_DIR: dataDir, PORT: String(port) }, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
    assert.deepEqual(processesMentioning(dataDir), [], 'sqld not left running');
    const retry = await up(dataDir);
    await retry.proc.waitFor(READY);
    await stopAndCheckClean(retry.proc, dataDir);
  });

  it('sqld failing to start (a corrupt database)', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'VERSION'), '1\n');
    fs.mkdirSync(path.join(dataDir, 'sqld', 'dbs', 'default'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'sqld', 'dbs', 'default', 'data'), Buffer.alloc(8192, 7));
    await expectFailure({ DATA_DIR: dataDir }, /sqld did not start[\s\S]*not a database/);
    assert.deepEqual(processesMentioning(dataDir), []);
    assert.equal(fs.existsSync(path.join(dataDir, 'run', 'owner.json')), false);
  });

  it('a data directory from a newer schema', async () => {
    const dataDir = tempDir();
    const seeded = await runScript('test/helpers/seed-newer-schema.ts', [dataDir], {});
    assert.equal(seeded.code, 0, seeded.output);
    await expectFailure({ DATA_DIR: dataDir }, /written by a newer release/);
    assert.deepEqual(processesMentioning(dataDir), []);
  });

  it('a second stack on the same data directory', async () => {
    const dataDir = tempDir();
    const first = await up(dataDir);
    await first.proc.waitFor(READY);
    await expectFailure({ DATA_DIR: dataDir }, /already running on this data directory/);
    assert.equal((await httpFetch(`http://wiki.localhost:${first.port}/healthz`)).status, 200, 'the first one is unharmed');
    await stopAndCheckClean(first.proc, dataDir);
  });

  it('malformed configuration', async () => {
    await expectFailure({ DATA_DIR: tempDir(), APEX: 'Not A Host' }, /configuration: APEX/);
  });
});
