/** Platform sessions: minted by the admin CLI, verified by the auth worker for the wiki, revocable at once. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { runScript } from '../helpers/processes.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;

function admin(...args: string[]) {
  return runScript('bin/admin.ts', args, { DATA_DIR: t.dataDir });
}

async function sessionFor(user: string): Promise<{ id: string; token: string }> {
  const r = await admin('session', 'create', user);
  assert.equal(r.code, 0, r.output);
  return { id: /session (ses_[a-z0-9]+)/.exec(r.output)![1]!, token: /^(ey[\w-]+\.[\w-]+\.[\w-]+)$/m.exec(r.output)![1]! };
}

before(async () => {
  t = await startTestStack();
  for (const args of [
    ['user', 'add', 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', 'alice.example.com', '--name', 'Alice'],
    ['user', 'add', 'did:plc:cccccccccccccccccccccccc', 'carol.example.com'],
    ['wiki', 'create', 'private', '--owner', 'alice.example.com'],
  ]) {
    const r = await admin(...args);
    assert.equal(r.code, 0, r.output);
  }
});
after(() => t.stop());

const pages = (cookie?: string) => t.fetch(t.url('/api/v1/pages', 'private'), { headers: cookie ? { cookie: `wf_session=${cookie}` } : {} });

it('lets a member in with the session cookie, until the session is revoked', async () => {
  const alice = await sessionFor('alice.example.com');
  assert.equal((await pages()).status, 401);
  assert.equal((await pages(alice.token)).status, 200);
  const r = await admin('session', 'revoke', alice.id);
  assert.equal(r.code, 0, r.output);
  assert.equal((await pages(alice.token)).status, 401, 'revocation is immediate');
});

it('shows a signed-in non-member nothing of a private wiki', async () => {
  const carol = await sessionFor('carol.example.com');
  const res = await pages(carol.token);
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as { message: string }).message, /not a member of "private"/);
});

it('treats a forged or tampered token as signed out', async () => {
  const alice = await sessionFor('alice.example.com');
  const [h, p, s] = alice.token.split('.');
  const forgedPayload = Buffer.from(JSON.stringify({ sub: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', sid: 'ses_x', iss: 'wikifarm', aud: 'wikifarm-session', exp: 9999999999 })).toString('base64url');
  for (const bad of [`${h}.${forgedPayload}.${s}`, `${h}.${p}.${s!.slice(0, -4)}AAAA`, 'not-a-jwt', 'x'.repeat(5000)]) {
    assert.equal((await pages(bad)).status, 401, bad.slice(0, 40));
  }
});

it('refuses API writes made with the session cookie unless they carry the CSRF token from this origin', async () => {
  const alice = await sessionFor('alice.example.com');
  const write = (headers: Record<string, string>) =>
    t.fetch(t.url('/api/v1/pages/Forged', 'private'), { method: 'PUT', headers: { cookie: `wf_session=${alice.token}`, 'content-type': 'text/plain', ...headers }, body: JSON.stringify({ content: 'forged' }) });
  // What a <form enctype="text/plain"> on a sibling wiki would send.
  assert.equal((await write({ origin: 'http://evil.wiki.localhost', 'sec-fetch-site': 'same-site' })).status, 403);
  assert.equal((await write({})).status, 403);
  const pagesRes = await t.fetch(t.url('/api/v1/pages/Forged', 'private'), { headers: { cookie: `wf_session=${alice.token}` } });
  assert.equal(pagesRes.status, 404, 'nothing was written');
});
