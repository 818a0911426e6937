/**
 * Third-party MCP clients against the running stack: the official
 * conformance runner (@modelcontextprotocol/conformance, server scenarios)
 * with its expected failures listed and explained in
 * test/mcp-conformance/expected-failures.yml, and the MCP Inspector's CLI
 * listing the tools with a personal access token.
 *
 * The runner cannot send an Authorization header, so it talks to a small
 * loopback proxy that adds the wiki's Host and a personal token, the way
 * protocols.md §8.1 suggests ("a test wiki with an auth bypass or test token").
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { ROOT } from '../../bin/lib/build.ts';
import { openDb } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { tempDir } from '../helpers/temp.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BASELINE = path.join(ROOT, 'test', 'mcp-conformance', 'expected-failures.yml');
let t: TestStack;
let token: string;
let proxy: http.Server;
let proxyUrl: string;
const outDir = tempDir('wikifarm-conformance-');

before(async () => {
  t = await startTestStack();
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  try {
    await upsertUser(db, { did: ALICE, handle: 'alice.example.com' }, { kind: 'system' });
    const wiki = await createWiki(db, { slug: 'demo', ownerDid: ALICE, title: 'Conformance' }, { kind: 'system' });
    token = (await mintPersonalAccessToken(db, { wiki, userDid: ALICE, name: 'conformance', scopes: ['read', 'write'], expiresAt: null }, { kind: 'system' })).token;
  } finally {
    client.close();
  }
  proxy = http.createServer((req, res) => {
    const headers = { ...req.headers, host: `demo.wiki.localhost:${t.stack.port}`, authorization: `Bearer ${token}` };
    const upstream = http.request({ host: '127.0.0.1', port: t.stack.port, path: req.url, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/mcp`;
});
after(async () => {
  await new Promise((r) => proxy.close(r));
  await t.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

/** Runs a tool of node_modules/.bin as a child (never blocking this process, which serves the proxy). */
function run(bin: string, args: string[], options: { preload?: string } = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(options.preload ? ['--import', options.preload] : []), path.join(ROOT, 'node_modules', '.bin', bin), ...args], { cwd: outDir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Every scenario's checks from the runner's output directory: scenario → statuses. */
function results(): Map<string, string[]> {
  const byScenario = new Map<string, string[]>();
  for (const dir of fs.readdirSync(outDir, { recursive: true }) as string[]) {
    if (!dir.endsWith('checks.json')) continue;
    const scenario = /server-(.+?)-\d{4}-/.exec(dir)?.[1] ?? dir;
    const checks = JSON.parse(fs.readFileSync(path.join(outDir, dir), 'utf8')) as { status: string }[];
    byScenario.set(scenario, checks.map((c) => c.status));
  }
  return byScenario;
}

it('passes the official conformance runner, failing only where expected-failures.yml explains why', async () => {
  const r = await run('conformance', ['server', '--url', proxyUrl, '--expected-failures', BASELINE, '-o', outDir]);
  assert.equal(r.code, 0, r.output.slice(-4000));
  const passed = results();
  for (const scenario of ['server-initialize', 'ping', 'tools-list', 'tools-call-error']) {
    assert.ok(passed.get(scenario)?.every((s) => s === 'SUCCESS'), `${scenario}: ${passed.get(scenario)?.join() ?? 'not run'}`);
  }
});

it('lists the tools with the MCP Inspector CLI and a personal access token', async () => {
  const preload = path.join(ROOT, 'test', 'helpers', 'localhost-dns.ts');
  const r = await run('mcp-inspector', ['--cli', t.url('/mcp', 'demo'), '--transport', 'http', '--header', `Authorization: Bearer ${token}`, '--method', 'tools/list'], { preload });
  assert.equal(r.code, 0, r.output.slice(-2000));
  const listed = JSON.parse(r.output.slice(r.output.indexOf('{'))) as { tools: { name: string }[] };
  const names = listed.tools.map((x) => x.name);
  for (const name of ['read_note', 'write_note', 'edit_note', 'search_notes', 'semantic_search', 'get_history', 'list_attachments']) assert.ok(names.includes(name), name);
});
