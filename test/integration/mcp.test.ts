/**
 * The MCP endpoint against the real stack, with the real MCP SDK client:
 * initialize and tools/list (annotations, scope filtering), every tool end to
 * end over JS-RPC into the wiki, and the HTTP rules Claude's clients depend
 * on (401 challenge, 403 insufficient_scope for a write tool called read-only,
 * wiki-bound tokens, 405, Origin, Accept variants, no protocol-version
 * header, `/mcp/`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { openDb } from '../../workers/lib/db.ts';
import { setMember } from '../../workers/lib/directory/members.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { httpFetch } from '../helpers/http.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const system = { kind: 'system' } as const;
const CLAUDE_CODE_UA = 'claude-code/2.1.96 (cli)';

let t: TestStack;
const tokens = { alice: '', aliceRead: '', bob: '', other: '' };

/** The SDK's fetch, reaching `*.localhost` on loopback. */
const mcpFetch: FetchLike = (url, init) => httpFetch(String(url), init as never) as unknown as Promise<Response>;

async function connect(token: string, options: { path?: string; userAgent?: string } = {}): Promise<Client> {
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(t.url(options.path ?? '/mcp', 'demo')), {
    fetch: mcpFetch,
    requestInit: { headers: { authorization: `Bearer ${token}`, 'user-agent': options.userAgent ?? CLAUDE_CODE_UA } },
  });
  await client.connect(transport);
  return client;
}

type ToolResult = { content: { type: string; text?: string; data?: string; mimeType?: string }[]; isError?: boolean };

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

/** The text of a successful tool call. */
async function ok(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = await call(client, name, args);
  const text = r.content.map((c) => c.text ?? '').join('\n');
  assert.ok(!r.isError, `${name} failed: ${text}`);
  return text;
}

/** The text of a tool error. */
async function fails(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = await call(client, name, args);
  const text = r.content.map((c) => c.text ?? '').join('\n');
  assert.equal(r.isError, true, `${name} should fail: ${text}`);
  return text;
}

function revisionIn(text: string): string {
  const m = /revision: ([0-9a-f]{40})/.exec(text);
  assert.ok(m, `no revision in: ${text}`);
  return m[1]!;
}

const INIT = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } };

/** One raw JSON-RPC POST, for the HTTP rules the SDK client hides. */
async function post(body: unknown, options: { token?: string | null; headers?: Record<string, string>; path?: string; method?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...options.headers };
  const token = options.token === undefined ? tokens.alice : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const method = options.method ?? 'POST';
  const res = await httpFetch(t.url(options.path ?? '/mcp', 'demo'), { method, headers, ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

before(async () => {
  t = await startTestStack();
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
  await upsertUser(db, { did: BOB, handle: 'bob.example.com' }, system);
  const demo = await createWiki(db, { slug: 'demo', ownerDid: ALICE, title: 'Demo Notes' }, system);
  const other = await createWiki(db, { slug: 'other', ownerDid: ALICE, title: 'Other' }, system);
  await setMember(db, demo, BOB, 'viewer', system);
  tokens.alice = (await mintPersonalAccessToken(db, { wiki: demo, userDid: ALICE, name: 'mcp', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  tokens.aliceRead = (await mintPersonalAccessToken(db, { wiki: demo, userDid: ALICE, name: 'mcp-read', scopes: ['read'], expiresAt: null }, system)).token;
  tokens.bob = (await mintPersonalAccessToken(db, { wiki: demo, userDid: BOB, name: 'mcp', scopes: ['read'], expiresAt: null }, system)).token;
  tokens.other = (await mintPersonalAccessToken(db, { wiki: other, userDid: ALICE, name: 'mcp', scopes: ['read', 'write'], expiresAt: null }, system)).token;
  client.close();
});

after(async () => {
  await t?.stop();
});

const READ_TOOLS = [
  'read_note', 'list_notes', 'search_notes', 'semantic_search', 'get_links', 'get_recent_changes', 'get_history', 'get_diff',
  'find_orphaned_notes', 'find_broken_links', 'list_attachments', 'download_attachment',
];
const WRITE_TOOLS = [
  'write_note', 'edit_note', 'replace_section', 'append_note', 'prepend_note', 'rename_note', 'delete_note', 'revert_change',
  'upload_attachment', 'delete_attachment',
];

describe('initialize and tools/list', () => {
  it('describes the wiki and lists every tool with its annotations for a read-write token', async () => {
    const client = await connect(tokens.alice);
    try {
      assert.equal(client.getServerVersion()?.name, 'wikifarm');
      const instructions = client.getInstructions() ?? '';
      assert.match(instructions, /"Demo Notes"/);
      assert.match(instructions, /Page names:/);
      assert.match(instructions, /edit_note/);
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((x) => x.name).sort(), [...READ_TOOLS, ...WRITE_TOOLS].sort());
      const byName = new Map(tools.map((x) => [x.name, x]));
      // robot.wtf's parameter names, unchanged.
      assert.deepEqual(Object.keys(byName.get('read_note')!.inputSchema.properties ?? {}).sort(), ['path', 'revision', 'section']);
      assert.deepEqual(byName.get('read_note')!.inputSchema.required, ['path']);
      assert.deepEqual(Object.keys(byName.get('edit_note')!.inputSchema.properties ?? {}).sort(), ['commit_message', 'new_string', 'old_string', 'path', 'revision']);
      assert.deepEqual(Object.keys(byName.get('semantic_search')!.inputSchema.properties ?? {}).sort(), ['max_chunks_per_page', 'n', 'query']);
      assert.deepEqual(Object.keys(byName.get('upload_attachment')!.inputSchema.properties ?? {}).sort(), ['commit_message', 'content', 'filename', 'path']);
      for (const name of READ_TOOLS) assert.equal(byName.get(name)!.annotations?.readOnlyHint, true, name);
      for (const name of WRITE_TOOLS) assert.equal(byName.get(name)!.annotations?.readOnlyHint, false, name);
      assert.equal(byName.get('delete_note')!.annotations?.destructiveHint, true);
      assert.equal(byName.get('append_note')!.annotations?.destructiveHint, false);
      assert.equal(byName.get('write_note')!.annotations?.idempotentHint, true);
    } finally {
      await client.close();
    }
  });

  it('hides the write tools from a read-only token, and refuses them with HTTP 403', async () => {
    const client = await connect(tokens.bob);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((x) => x.name).sort(), [...READ_TOOLS].sort());
      assert.match(client.getInstructions() ?? '', /read-only/);
      // Without an OAuth provider the SDK client cannot step up: the 403 is its error (the raw answer is tested under HTTP rules).
      await assert.rejects(call(client, 'write_note', { path: 'Nope', content: 'x' }), /HTTP 403|insufficient_scope/);
      assert.match(await ok(client, 'read_note', { path: 'Home' }), /^# /);
    } finally {
      await client.close();
    }
  });
});

describe('the tools, end to end', () => {
  let client: Client;
  before(async () => {
    client = await connect(tokens.alice);
  });
  after(async () => {
    await client?.close();
  });

  it('writes, reads (also by revision and section), edits with conflicts, and shows history and diffs', async () => {
    const created = await ok(client, 'write_note', {
      path: 'Projects/Plan',
      content: '---\ncategory: planning\ntags: [ship, q3]\n---\n# Plan\n\n## Goals\n\nShip it. See [[Home]] and [[Missing Page]].\n\n## Risks\n\nNone yet.\n',
      commit_message: 'Start the plan',
    });
    assert.match(created, /^Created Projects\/Plan \(revision: [0-9a-f]{40}\)$/);
    const r1 = revisionIn(created);

    const read = await ok(client, 'read_note', { path: 'Projects/Plan' });
    assert.match(read, new RegExp(`^Revision: ${r1}$`, 'm'));
    assert.match(read, /^Category: planning \| Tags: ship, q3$/m);
    assert.match(read, /^Links to: Home, Missing_Page$/m);
    assert.match(read, /Ship it\./);
    assert.match(await ok(client, 'read_note', { path: 'Projects/Plan', section: 'Goals' }), /Section: Goals\n[\s\S]*---\n## Goals\n\nShip it\.[^#]*$/);

    const edited = await ok(client, 'edit_note', { path: 'Projects/Plan', revision: r1.slice(0, 8), old_string: 'Ship it.', new_string: 'Ship it on Friday.' });
    const r2 = revisionIn(edited);
    assert.notEqual(r2, r1);

    // A stale revision is a conflict that names the current one.
    const stale = await fails(client, 'edit_note', { path: 'Projects/Plan', revision: r1, old_string: 'None yet.', new_string: 'Many.' });
    assert.match(stale, /^Conflict: /);
    assert.match(stale, new RegExp(`Current revision of Projects/Plan: ${r2}`));
    assert.match(stale, new RegExp(`revision="${r2}"`));
    const blind = await fails(client, 'write_note', { path: 'Projects/Plan', content: 'overwrite' });
    assert.match(blind, new RegExp(`Current revision of Projects/Plan: ${r2}`));
    assert.match(await fails(client, 'edit_note', { path: 'Projects/Plan', revision: r2, old_string: 'not there', new_string: 'x' }), /^Invalid request: .*not found/s);

    const old = await ok(client, 'read_note', { path: 'Projects/Plan', revision: r1 });
    assert.match(old, /Ship it\. See/);
    assert.match(old, new RegExp(`^Current revision: ${r2}`, 'm'));

    const history = await ok(client, 'get_history', { path: 'Projects/Plan' });
    assert.match(history, /^History of Projects\/Plan \(2 revisions, newest first\):/);
    assert.ok(history.indexOf(r2.slice(0, 12)) < history.indexOf(r1.slice(0, 12)));
    assert.match(history, /\| Alice \|/);
    assert.match(history, /Start the plan \(via Claude Code\)/);

    const diff = await ok(client, 'get_diff', { path: 'Projects/Plan', from_revision: r1, to_revision: r2 });
    assert.match(diff, /^-Ship it\. See/m);
    assert.match(diff, /^\+Ship it on Friday\. See/m);
    assert.match(await ok(client, 'get_diff', { path: 'Projects/Plan' }), /\+Ship it on Friday/);
  });

  it('replaces sections, appends and prepends, and reverts a change', async () => {
    const replaced = await ok(client, 'replace_section', { path: 'Projects/Plan', section: 'Risks', content: 'Weather.' });
    assert.match(replaced, /^Replaced section "Risks"/);
    const appended = await ok(client, 'append_note', { path: 'Projects/Plan', section: 'Goals', content: '- Tell everyone.' });
    const rAppend = revisionIn(appended);
    const rPrepend = revisionIn(await ok(client, 'prepend_note', { path: 'Projects/Plan', content: 'Draft.' }));
    let page = await ok(client, 'read_note', { path: 'Projects/Plan' });
    assert.match(page, /## Goals\n\nShip it on Friday\. See \[\[Home\]\] and \[\[Missing Page\]\]\.\n\n- Tell everyone\.\n\n## Risks\n\nWeather\.\n$/);
    assert.match(page, /# Plan\n\nDraft\.\n/);

    // A change that a later one built on cannot be undone alone; the latest can.
    assert.match(await fails(client, 'revert_change', { revision: rAppend }), /^Conflict: Cannot revert .*later changes touched Projects\/Plan\.md/);
    const reverted = await ok(client, 'revert_change', { revision: rPrepend });
    assert.match(reverted, new RegExp(`^Reverted ${rPrepend.slice(0, 12)} \\(new revision: [0-9a-f]{40}\\)\nChanged: Projects/Plan\\.md$`));
    page = await ok(client, 'read_note', { path: 'Projects/Plan' });
    assert.doesNotMatch(page, /Draft\./);
    assert.match(page, /Tell everyone/);
    assert.match(await fails(client, 'revert_change', { revision: 'ffffffffff' }), /^Not found: /);
  });

  it('lists, searches (keyword and the semantic fallback), and shows recent changes', async () => {
    assert.match(await ok(client, 'list_notes', { prefix: 'Projects/' }), /^Found 1 notes matching prefix=Projects\/:\n\n- Projects\/Plan \(category: planning, tags: ship, q3, /);
    assert.match(await ok(client, 'list_notes', { category: 'nothing-here' }), /Found 0 notes/);
    assert.match(await fails(client, 'list_notes', { updated_since: 'yesterday' }), /^Invalid request/);
    const found = await ok(client, 'search_notes', { query: 'friday' });
    assert.match(found, /^1 results for "friday":\n\n1\. Projects\/Plan \(score: /);
    const semantic = await ok(client, 'semantic_search', { query: 'friday', n: 100 });
    assert.match(semantic, /^Meaning-based \(semantic\) search is off/);
    assert.match(semantic, /1\. Projects\/Plan/);
    const changes = await ok(client, 'get_recent_changes', { limit: 3 });
    assert.match(changes, /^3 recent changes \(newest first\):/);
    assert.match(changes, /\| Alice \| Projects\/Plan \| revision [0-9a-f]{12}/);
    assert.match(changes, /\(via Claude Code\)/);
  });

  it('follows links: backlinks, broken links, orphans; renames rewrite links', async () => {
    await ok(client, 'write_note', { path: 'Index', content: '# Index\n\n- [[Projects/Plan]]\n' });
    assert.match(await ok(client, 'get_links', { path: 'Home' }), /Linked from \(1\):\n {2}- Projects\/Plan/);
    assert.match(await ok(client, 'find_broken_links'), /- Missing_Page \(linked from Projects\/Plan\)/);
    const orphans = await ok(client, 'find_orphaned_notes');
    assert.match(orphans, /^- Index$/m);
    assert.doesNotMatch(orphans, /^- Projects\/Plan$/m);

    const renamed = await ok(client, 'rename_note', { path: 'Projects/Plan', new_path: 'Projects/Roadmap' });
    assert.match(renamed, /^Renamed Projects\/Plan -> Projects\/Roadmap \(revision: [0-9a-f]{40}\)\nUpdated links in 1 pages:\n {2}- Index$/);
    assert.match(await ok(client, 'read_note', { path: 'Index' }), /\[\[Projects\/Roadmap\]\]/);
    assert.match(await fails(client, 'read_note', { path: 'Projects/Plan' }), /^Page not found: Projects\/Plan\nUse list_notes or search_notes/);
  });

  it('uploads, lists, downloads and deletes attachments, then deletes the page with the rest', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const up = await ok(client, 'upload_attachment', { path: 'Projects/Roadmap', filename: 'dot.png', content: png.toString('base64') });
    assert.match(up, /^Uploaded dot\.png to Projects\/Roadmap \(70 bytes, image\/png; revision: [0-9a-f]{40}\)$/);
    const renamedFile = await ok(client, 'upload_attachment', { path: 'Projects/Roadmap', filename: 'my notes (1).txt', content: Buffer.from('hello attachments\n').toString('base64') });
    assert.match(renamedFile, /Stored as "my_notes_1\.txt"/);
    assert.match(await fails(client, 'upload_attachment', { path: 'Projects/Roadmap', filename: 'x.bin', content: 'not base64!!' }), /base64/);
    assert.match(await fails(client, 'upload_attachment', { path: 'No/Such/Page', filename: 'x.txt', content: 'aGk=' }), /^Page not found: No\/Such\/Page/);

    // Larger than the SDK's default 4 MiB body, within the wiki's 10 MB; one byte more is refused before it reaches the wiki.
    const big = Buffer.alloc(6 * 1024 * 1024, 7);
    assert.match(await ok(client, 'upload_attachment', { path: 'Projects/Roadmap', filename: 'big.bin', content: big.toString('base64') }), /^Uploaded big\.bin .*\(6291456 bytes, application\/octet-stream;/);
    assert.match(await ok(client, 'download_attachment', { path: 'Projects/Roadmap', filename: 'big.bin' }), /too large to return in a tool answer.*http:\/\/demo\.wiki\.localhost:\d+\/api\/v1\/pages\/Projects\/Roadmap\/attachments\/big\.bin/s);
    assert.match(await fails(client, 'upload_attachment', { path: 'Projects/Roadmap', filename: 'huge.bin', content: Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64') }), /^Too large: /);
    await ok(client, 'delete_attachment', { path: 'Projects/Roadmap', filename: 'big.bin' });

    const listed = await ok(client, 'list_attachments', { path: 'Projects/Roadmap' });
    assert.match(listed, /^Attachments of Projects\/Roadmap \(2\):\n\n- dot\.png \(70 bytes, image\/png, updated \d{4}-\d\d-\d\d\)\n- my_notes_1\.txt \(18 bytes, text\/plain/);

    const image = await call(client, 'download_attachment', { path: 'Projects/Roadmap', filename: 'dot.png' });
    assert.equal(image.isError, undefined);
    const picture = image.content.find((c) => c.type === 'image');
    assert.equal(picture?.mimeType, 'image/png');
    assert.deepEqual(Buffer.from(picture!.data!, 'base64'), png);
    assert.match(await ok(client, 'download_attachment', { path: 'Projects/Roadmap', filename: 'my_notes_1.txt' }), /Content \(text\):\nhello attachments\n$/);
    assert.match(await fails(client, 'download_attachment', { path: 'Projects/Roadmap', filename: 'nope.txt' }), /^Not found: .*\nUse list_attachments/);

    assert.match(await ok(client, 'delete_attachment', { path: 'Projects/Roadmap', filename: 'my_notes_1.txt' }), /^Deleted attachment my_notes_1\.txt from Projects\/Roadmap \(revision: /);
    assert.match(await ok(client, 'list_attachments', { path: 'Projects/Roadmap' }), /\(1\):\n\n- dot\.png/);

    const deleted = await ok(client, 'delete_note', { path: 'Projects/Roadmap', commit_message: 'Done with it' });
    assert.match(deleted, /^Deleted Projects\/Roadmap \(revision: [0-9a-f]{40}\)\nAlso deleted its attachments: dot\.png\nTo undo: revert_change/);
    assert.match(await fails(client, 'read_note', { path: 'Projects/Roadmap' }), /^Page not found/);
    assert.match(await ok(client, 'get_recent_changes', { limit: 1 }), /Done with it \(via Claude Code\)/);
  });

  it('answers bad arguments with tool errors, never transport failures', async () => {
    assert.match(await fails(client, 'read_note', {}), /path/);
    assert.match(await fails(client, 'read_note', { path: '../etc/passwd' }), /^Invalid request: /);
    assert.match(await fails(client, 'no_such_tool'), /no_such_tool/);
  });
});

describe('HTTP rules', () => {
  it('answers no token with 401 and the exact challenge', async () => {
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: INIT }, { token: null });
    assert.equal(res.status, 401);
    assert.equal(
      res.headers.get('www-authenticate'),
      `Bearer resource_metadata="http://demo.wiki.localhost:${t.stack.port}/.well-known/oauth-protected-resource/mcp", scope="wiki:read wiki:write"`,
    );
  });

  it('answers 404 for a wiki that does not exist, with or without a token', async () => {
    for (const token of [null, tokens.alice]) {
      const res = await httpFetch(t.url('/mcp', 'nosuchwiki'), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: INIT }) });
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('www-authenticate'), null);
      assert.equal(((await res.json()) as { error: string }).error, 'not_found');
    }
  });

  it('answers a write tool called with a read-only token with 403 insufficient_scope and the step-up challenge', async () => {
    const challenge = `Bearer error="insufficient_scope", scope="wiki:read wiki:write", resource_metadata="http://demo.wiki.localhost:${t.stack.port}/.well-known/oauth-protected-resource/mcp"`;
    const writeCall = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'write_note', arguments: { path: 'Refused', content: '# no' } } });
    for (const [who, token, remedy] of [
      ['an owner with a read-only token', tokens.aliceRead, /Authorise this client again with the wiki:write scope/],
      ['a viewer', tokens.bob, /role \(viewer\) cannot write/],
    ] as const) {
      for (const accept of ['application/json, text/event-stream', 'text/event-stream']) {
        const res = await post(writeCall(7), { token, headers: { accept } });
        assert.equal(res.status, 403, `${who}, ${accept}: ${res.text}`);
        assert.equal(res.headers.get('www-authenticate'), challenge, who);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        const body = JSON.parse(res.text) as { error: string; error_description: string };
        assert.equal(body.error, 'insufficient_scope');
        assert.match(body.error_description, /write_note writes to "Demo Notes"/);
        assert.match(body.error_description, remedy, who);
      }
    }
    const batch = await post([{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'read_note', arguments: { path: 'Home' } } }, writeCall(2)], { token: tokens.aliceRead });
    assert.equal(batch.status, 403, 'a batch with a refused write');
    const nothing = await httpFetch(t.url('/api/v1/pages/Refused', 'demo'), { headers: { authorization: `Bearer ${tokens.alice}` } });
    assert.equal(nothing.status, 404, 'nothing was written');

    // Everything else the read-only token may do is unchanged.
    const read = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'read_note', arguments: { path: 'Home' } } }, { token: tokens.aliceRead });
    assert.equal(read.status, 200, read.text);
    assert.doesNotMatch(read.text, /"isError":true/);
    const list = await post({ jsonrpc: '2.0', id: 4, method: 'tools/list' }, { token: tokens.aliceRead });
    assert.equal(list.status, 200);
    assert.deepEqual((JSON.parse(list.text) as { result: { tools: { name: string }[] } }).result.tools.map((x) => x.name).sort(), [...READ_TOOLS].sort());
    const unknown = await post({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } }, { token: tokens.aliceRead });
    assert.equal(unknown.status, 200, 'an unknown tool is not a scope problem');
    for (const name of [{ toString: 'x' }, 42, null, ['write_note']]) {
      const odd = await post({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name, arguments: {} } }, { token: tokens.aliceRead });
      assert.equal(odd.status, 200, `a tool name that is not a string is the protocol's error, not ours: ${odd.text}`);
      assert.match(odd.text, /"error"/);
    }
  });

  it('refuses a token for another wiki with 401, and never with data', async () => {
    for (const method of ['initialize', 'tools/list']) {
      const res = await post({ jsonrpc: '2.0', id: 1, method, params: method === 'initialize' ? INIT : {} }, { token: tokens.other });
      assert.equal(res.status, 401, res.text);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token", resource_metadata="http:\/\/demo\.wiki\.localhost:\d+\/\.well-known\/oauth-protected-resource\/mcp", scope="wiki:read wiki:write"$/);
      assert.doesNotMatch(res.text, /"result"|Demo Notes/);
    }
    await assert.rejects(connect(tokens.other));
    // A valid token is never challenged: the same token works on its own wiki.
    const own = await httpFetch(t.url('/mcp', 'other'), { method: 'POST', headers: { authorization: `Bearer ${tokens.other}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    assert.equal(own.status, 200);
  });

  it('answers GET and DELETE with 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await post(null, { method });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'POST');
    }
  });

  it('serves /mcp/ as well, without a redirect', async () => {
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: INIT }, { path: '/mcp/' });
    assert.equal(res.status, 200, res.text);
    assert.equal(JSON.parse(res.text).result.serverInfo.name, 'wikifarm');
    const client = await connect(tokens.alice, { path: '/mcp/' });
    assert.match(await ok(client, 'read_note', { path: 'Home' }), /^# /);
    await client.close();
  });

  it('refuses a browser Origin of another site with 403, and accepts the wiki\'s own', async () => {
    const body = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    assert.equal((await post(body, { headers: { origin: 'https://evil.example' } })).status, 403);
    assert.equal((await post(body, { headers: { origin: 'null' } })).status, 403);
    assert.equal((await post(body, { headers: { origin: `http://other.wiki.localhost:${t.stack.port}` } })).status, 403);
    assert.equal((await post(body, { headers: { origin: `http://demo.wiki.localhost:${t.stack.port}` } })).status, 200);
  });

  it('answers every Accept Claude sends, and a request without MCP-Protocol-Version', async () => {
    const list = { jsonrpc: '2.0', id: 7, method: 'tools/list' };
    for (const accept of ['application/json', '*/*', 'application/json, text/event-stream']) {
      const res = await post(list, { headers: { accept } });
      assert.equal(res.status, 200, `${accept}: ${res.text}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(JSON.parse(res.text).id, 7);
    }
    const sse = await post(list, { headers: { accept: 'text/event-stream' } });
    assert.equal(sse.status, 200);
    assert.match(sse.headers.get('content-type') ?? '', /^text\/event-stream/);
    const data = /^data: (.*)$/m.exec(sse.text)?.[1];
    assert.equal(JSON.parse(data!).id, 7);
    const none = await httpFetch(t.url('/mcp', 'demo'), { method: 'POST', headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/json' }, body: JSON.stringify(list) });
    assert.equal(none.status, 200);

    // No MCP-Protocol-Version and no session id, straight to a tool call (as Claude does after a restart).
    const callRes = await post({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'read_note', arguments: { path: 'Home' } } });
    assert.equal(callRes.status, 200, callRes.text);
    assert.match(JSON.parse(callRes.text).result.content[0].text, /^# /);
    assert.equal(callRes.headers.get('mcp-session-id'), null);
    const notification = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(notification.status, 202);
  });

  it('answers a newer protocol version with the SDK\'s 400, so dual-era clients fall back to initialize', async () => {
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { headers: { 'mcp-protocol-version': '2026-07-28' } });
    assert.equal(res.status, 400);
    assert.match(JSON.parse(res.text).error.message, /Unsupported protocol version: 2026-07-28 \(supported versions: 2025-11-25, 2025-06-18/);
    const discover = await post({ jsonrpc: '2.0', id: 2, method: 'server/discover', params: {} });
    assert.equal(discover.status, 200);
    assert.equal(JSON.parse(discover.text).error.code, -32601);
  });

  it('answers malformed JSON-RPC with the SDK\'s errors', async () => {
    const bad = await post('{not json');
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.text).error.code, -32700);
    const notRpc = await post({ hello: 'world' });
    assert.equal(notRpc.status, 400);
    const unknown = await post({ jsonrpc: '2.0', id: 3, method: 'no/such/method' });
    assert.equal(JSON.parse(unknown.text).error.code, -32601);
  });
});

describe('latency', () => {
  it('measures read_note round trips (one HTTP request each, stateless)', async () => {
    const client = await connect(tokens.alice);
    try {
      await ok(client, 'write_note', { path: 'Bench', content: `# Bench\n\n${'Some text for the benchmark. '.repeat(100)}\n` });
      for (let i = 0; i < 10; i++) await ok(client, 'read_note', { path: 'Bench' });
      const times: number[] = [];
      for (let i = 0; i < 100; i++) {
        const start = performance.now();
        await call(client, 'read_note', { path: 'Bench' });
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
      console.log(`# read_note over MCP, 100 calls: p50 ${p(0.5)} ms, p90 ${p(0.9)} ms, p99 ${p(0.99)} ms, max ${times.at(-1)!.toFixed(2)} ms`);
    } finally {
      await client.close();
    }
  });
});
