/** The admin CLI as a real process, with the stack running and with it stopped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScript } from '../helpers/processes.ts';
import { startTestStack } from '../helpers/stack.ts';
import { tempDir } from '../helpers/temp.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';

function admin(dataDir: string, ...args: string[]) {
  return runScript('bin/admin.ts', args, { DATA_DIR: dataDir });
}

async function ok(dataDir: string, ...args: string[]): Promise<string> {
  const r = await admin(dataDir, ...args);
  assert.equal(r.code, 0, `admin ${args.join(' ')}\n${r.output}`);
  return r.output;
}

describe('admin CLI', () => {
  it('makes the product usable without a sign-in service, while the stack is stopped', async () => {
    const dataDir = tempDir();
    await ok(dataDir, 'user', 'add', ALICE, 'alice.example.com', '--name', 'Alice');
    await ok(dataDir, 'user', 'add', BOB, 'bob.example.com');
    await ok(dataDir, 'wiki', 'create', 'notes', '--owner', 'alice.example.com', '--title', 'Notes', '--visibility', 'public');
    await ok(dataDir, 'member', 'add', 'notes', 'bob.example.com', '--role', 'viewer');
    assert.match(await ok(dataDir, 'member', 'list', 'notes'), /alice\.example\.com\s+did:plc:a+\s+owner[\s\S]*bob\.example\.com\s+did:plc:b+\s+viewer/);
    assert.match(await ok(dataDir, 'wiki', 'list'), /notes\s+Notes\s+public\s+on/);
    assert.match(await ok(dataDir, 'wiki', 'quota', 'notes'), /at most 52428800 \(default\) bytes in at most 5000 \(default\) pages/);
    assert.match(await ok(dataDir, 'wiki', 'quota', 'notes', '--bytes', '1000000', '--pages', '50'), /at most 1000000 bytes in at most 50 pages/);
    assert.match(await ok(dataDir, 'wiki', 'quota', 'notes', '--pages', 'default'), /at most 1000000 bytes in at most 5000 \(default\) pages/);

    const minted = await ok(dataDir, 'token', 'mint', 'notes', 'bob.example.com', '--name', 'laptop', '--expires', '30d');
    const token = /^(wfpat_[A-Za-z0-9_-]{43})$/m.exec(minted)?.[1];
    assert.ok(token, minted);
    assert.match(minted, /\(read\)/, 'a viewer gets read only');
    const id = /token (pat_[a-z0-9]+)/.exec(minted)![1]!;
    const listed = await ok(dataDir, 'token', 'list', 'notes');
    assert.match(listed, new RegExp(`${id}\\s+laptop.*active`));
    assert.ok(!listed.includes(token), 'the secret is never shown again');
    await ok(dataDir, 'token', 'revoke', id);
    assert.match(await ok(dataDir, 'token', 'list', 'notes'), /revoked/);
    await ok(dataDir, 'member', 'remove', 'notes', 'bob.example.com');
    assert.doesNotMatch(await ok(dataDir, 'member', 'list', 'notes'), /bob/);
  });

  it('talks to the running stack, whose workers see the change at once', async () => {
    const t = await startTestStack();
    try {
      assert.equal((await t.fetch(t.url('/', 'live'))).status, 404);
      await ok(t.dataDir, 'user', 'add', ALICE, 'alice.example.com');
      await ok(t.dataDir, 'wiki', 'create', 'live', '--owner', ALICE, '--visibility', 'public');
      assert.equal((await t.fetch(t.url('/', 'live'))).status, 200);
      const ask = await t.fetch(`${t.stack.internalUrl}/internal/tls-ask?domain=live.wiki.localhost`);
      assert.equal(ask.status, 200);
    } finally {
      await t.stop();
    }
  });

  it('answers mistakes with a message and usage, never a stack trace', async () => {
    const dataDir = tempDir();
    const cases: [string[], number, RegExp][] = [
      [[], 2, /usage: npm run admin/],
      [['wiki', 'explode'], 2, /unknown command "wiki explode"/],
      [['wiki', 'create'], 2, /usage: admin wiki create/],
      [['wiki', 'create', 'x', '--bogus'], 2, /Unknown option '--bogus'/],
      [['member', 'add', 'nowiki', 'a.example.com', '--role', 'king'], 2, /--role must be one of: owner, admin, editor, viewer/],
      [['token', 'mint', 'nowiki', 'a.example.com', '--name', 'n', '--expires', 'someday'], 2, /cannot read the expiry/],
      [['user', 'add', 'not-a-did', 'a.example.com'], 1, /invalid DID/],
      [['wiki', 'create', 'www', '--owner', ALICE], 1, /no user with DID|reserved/],
      [['member', 'list', 'nowiki'], 1, /no wiki named "nowiki"/],
      [['token', 'revoke', 'pat_nope'], 1, /no token with id pat_nope/],
    ];
    for (const [args, code, message] of cases) {
      const r = await admin(dataDir, ...args);
      assert.equal(r.code, code, `${args.join(' ')}\n${r.output}`);
      assert.match(r.output, message, args.join(' '));
      assert.doesNotMatch(r.output, /^\s+at /m, `no stack trace for ${args.join(' ')}`);
    }
  });
});
