/**
 * Git over HTTP with the real git CLI against the running stack: clone,
 * edit, push and see it in the web UI and REST API; edit in the web UI and
 * pull; shallow clones; a push racing a web edit; every kind of refused push;
 * access (disabled wiki, private wiki without credentials, wrong-wiki and
 * read-only tokens, the session cookie); every pushed commit indexed; and
 * `git fsck` clean on the stored repositories after all of it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { setMember } from '../../workers/lib/directory/members.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, setWikiQuota, type Wiki } from '../../workers/lib/directory/wikis.ts';
import { commitAll, git, gitEnv, runGit, writeFiles } from '../helpers/git-cli.ts';
import { runScript } from '../helpers/processes.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { tempDir } from '../helpers/temp.ts';
import { sessionToken, UiClient } from '../helpers/wiki-ui.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const CAROL = 'did:plc:cccccccccccccccccccccccc';
const system = { kind: 'system' } as const;

let t: TestStack;
let db: Db;
let closeDb: () => void;
const wikis: Record<string, Wiki> = {};
const tokens = {} as Record<'alice' | 'aliceRead' | 'bob' | 'carol' | 'other' | 'open' | 'closed' | 'small' | 'fresh' | 'copy' | 'fresh2', string>;

before(async () => {
  t = await startTestStack();
  const opened = openDb({ url: t.stack.sqldUrl });
  db = opened.db;
  closeDb = () => opened.client.close();
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
  await upsertUser(db, { did: BOB, handle: 'bob.example.com', displayName: 'Bob' }, system);
  await upsertUser(db, { did: CAROL, handle: 'carol.example.com', displayName: 'Carol' }, system);
  wikis.notes = await createWiki(db, { slug: 'notes', ownerDid: ALICE, title: 'Notes', visibility: 'private' }, system);
  wikis.open = await createWiki(db, { slug: 'open', ownerDid: ALICE, title: 'Open', visibility: 'public' }, system);
  wikis.closed = await createWiki(db, { slug: 'closed', ownerDid: ALICE, title: 'Closed', visibility: 'public', gitAccess: false }, system);
  wikis.other = await createWiki(db, { slug: 'other', ownerDid: ALICE, title: 'Other' }, system);
  wikis.small = await createWiki(db, { slug: 'small', ownerDid: ALICE, title: 'Small' }, system);
  wikis.fresh = await createWiki(db, { slug: 'fresh', ownerDid: ALICE, title: 'Fresh' }, system);
  wikis.copy = await createWiki(db, { slug: 'copy', ownerDid: ALICE, title: 'Copy' }, system);
  wikis.fresh2 = await createWiki(db, { slug: 'fresh2', ownerDid: ALICE, title: 'Fresh 2' }, system);
  await setMember(db, wikis.notes, BOB, 'viewer', system);
  await setMember(db, wikis.notes, CAROL, 'editor', system);
  const mint = async (wiki: Wiki, did: string, scopes: ('read' | 'write')[]) => (await mintPersonalAccessToken(db, { wiki, userDid: did, name: 'git', scopes, expiresAt: null }, system)).token;
  tokens.alice = await mint(wikis.notes, ALICE, ['read', 'write']);
  tokens.aliceRead = await mint(wikis.notes, ALICE, ['read']);
  tokens.bob = await mint(wikis.notes, BOB, ['read']);
  tokens.carol = await mint(wikis.notes, CAROL, ['read', 'write']);
  tokens.other = await mint(wikis.other, ALICE, ['read', 'write']);
  tokens.open = await mint(wikis.open, ALICE, ['read', 'write']);
  tokens.closed = await mint(wikis.closed, ALICE, ['read', 'write']);
  tokens.small = await mint(wikis.small, ALICE, ['read', 'write']);
  tokens.fresh = await mint(wikis.fresh, ALICE, ['read', 'write']);
  tokens.copy = await mint(wikis.copy, ALICE, ['read', 'write']);
  tokens.fresh2 = await mint(wikis.fresh2, ALICE, ['read', 'write']);
});

after(async () => {
  closeDb?.();
  await t?.stop();
});

function remote(slug: string, token?: string): string {
  const { port } = new URL(t.url('/'));
  return `http://${token ? `x-token:${token}@` : ''}${slug}.wiki.localhost:${port}/.git`;
}

function storedRepo(slug: string): string {
  return path.join(t.dataDir, 'git', `${wikis[slug]!.id}.git`);
}

async function api(slug: string, pathname: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const res = await t.fetch(t.url(pathname, slug), {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>, text };
}

async function clone(slug: string, token?: string, extra: string[] = []): Promise<string> {
  const dir = path.join(tempDir(), slug);
  await git(['clone', '-q', ...extra, remote(slug, token), dir]);
  return dir;
}

describe('clone, push, pull', () => {
  it('clones a private wiki with a token, pushes a commit, and the web UI and API show it', async () => {
    const dir = await clone('notes', tokens.alice);
    assert.match(fs.readFileSync(path.join(dir, 'Home.md'), 'utf8'), /^# Notes/);
    assert.equal((await git(['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: dir })).trim(), 'main');
    writeFiles(dir, { 'Garden.md': '# Garden\n\nTomatoes and [[Home]].\n', 'Garden/plan.txt': 'rows\n' });
    const sha = await commitAll(dir, 'Plant the garden');
    const push = await runGit(['push', 'origin', 'main'], { cwd: dir });
    assert.equal(push.code, 0, push.stderr);

    const page = await api('notes', '/api/v1/pages/Garden', tokens.alice);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.json.content, '# Garden\n\nTomatoes and [[Home]].\n');
    assert.equal(page.json.revision, sha);
    assert.deepEqual(page.json.links_to, ['Home']);
    const history = await api('notes', '/api/v1/pages/Garden/history', tokens.alice);
    assert.deepEqual((history.json.history as { revision: string; author: string; message: string; pushed_by: string | null }[]).map((h) => [h.revision, h.author, h.message, h.pushed_by]), [[sha, 'Git User', 'Plant the garden', 'alice.example.com']]);
    const changes = (await api('notes', '/api/v1/changelog?limit=5', tokens.alice)).json.entries as { revision: string; pushed_by: string | null }[];
    assert.equal(changes.find((c) => c.revision === sha)?.pushed_by, 'alice.example.com', 'recent changes name who pushed');
    assert.ok(changes.filter((c) => c.revision !== sha).every((c) => c.pushed_by === null), 'commits made in the wiki were pushed by nobody');
    const files = await api('notes', '/api/v1/pages/Garden/attachments', tokens.alice);
    assert.match(files.text, /plan\.txt/);
    const search = await api('notes', '/api/v1/search?q=tomatoes', tokens.alice);
    assert.match(search.text, /Garden/);

    const ui = new UiClient(t, 'notes', await sessionToken(t, 'alice.example.com'));
    const view = await ui.get('/Garden');
    assert.equal(view.status, 200);
    assert.match(view.text, /Tomatoes and/);
    assert.match((await ui.get('/Garden/history')).text, /Git User <span class="muted pushed-by">\(pushed by alice\.example\.com\)<\/span>/);
  });
});

async function head(slug: string, token: string): Promise<string> {
  const out = await git(['ls-remote', remote(slug, token), 'refs/heads/main']);
  return out.split('\t')[0]!;
}

async function pushRefused(dir: string, args: string[], pattern: RegExp): Promise<string> {
  const r = await runGit(['push', ...args], { cwd: dir });
  assert.notEqual(r.code, 0, `the push should have been refused:\n${r.stderr}`);
  assert.match(r.stderr, pattern);
  return r.stderr;
}

describe('history and pulls', () => {
  it('indexes every pushed commit, not only the last one', async () => {
    const dir = await clone('notes', tokens.carol);
    const shas: string[] = [];
    for (const [i, words] of ['first draft', 'second draft', 'final words'].entries()) {
      writeFiles(dir, { 'Essay.md': `# Essay\n\n${words}, see [[Garden]].\n`, [`Essay/fig${i}.svg`]: `<svg>${i}</svg>` });
      shas.push(await commitAll(dir, `Essay ${i + 1}`, 1_800_000_000 + i * 60));
    }
    writeFiles(dir, { 'Scratch.md': '# Scratch\n' });
    shas.push(await commitAll(dir, 'Scratch page', 1_800_000_300));
    fs.rmSync(path.join(dir, 'Scratch.md'));
    shas.push(await commitAll(dir, 'Remove scratch', 1_800_000_360));
    await git(['push', '-q', 'origin', 'main'], { cwd: dir });

    const history = await api('notes', '/api/v1/pages/Essay/history', tokens.alice);
    assert.deepEqual((history.json.history as { revision: string; message: string; author: string }[]).map((h) => h.revision), shas.slice(0, 3).reverse());
    const old = await api('notes', `/api/v1/pages/Essay?revision=${shas[1]}`, tokens.alice);
    assert.equal(old.json.content, '# Essay\n\nsecond draft, see [[Garden]].\n');
    const changes = await api('notes', '/api/v1/changelog?limit=10', tokens.alice);
    const revisions = (changes.json.entries as { revision: string }[]).map((e) => e.revision);
    for (const sha of shas) assert.ok(revisions.includes(sha), `recent changes list ${sha}`);
    assert.equal((await api('notes', '/api/v1/pages/Scratch', tokens.alice)).status, 404);
    const scratch = await api('notes', '/api/v1/pages/Scratch/history', tokens.alice);
    assert.deepEqual((scratch.json.history as { revision: string; change: string }[]).map((h) => [h.revision, h.change]), [[shas[4], 'deleted'], [shas[3], 'added']], 'a page added and deleted within one push has both revisions');
    const links = await api('notes', '/api/v1/links/Garden', tokens.alice);
    assert.ok((links.json.linked_from as string[]).includes('Essay'), links.text);
    const files = await api('notes', '/api/v1/pages/Essay/attachments', tokens.alice);
    for (const i of [0, 1, 2]) assert.match(files.text, new RegExp(`fig${i}\\.svg`));
  });

  it('indexes a merge as its tree has it: a side branch\'s change the merge did not keep stays out, also after a reindex', async () => {
    const dir = await clone('notes', tokens.alice);
    writeFiles(dir, { 'Merged.md': '# Merged\n\naardvark on the main line.\n', 'Kept.md': '# Kept\n' });
    await commitAll(dir, 'Base', 1_800_001_000);
    await git(['checkout', '-q', '-b', 'side'], { cwd: dir });
    writeFiles(dir, { 'Merged.md': '# Merged\n\nzebra from the side, see [[Side_Link]].\n' });
    fs.rmSync(path.join(dir, 'Kept.md'));
    await commitAll(dir, 'Side', 1_800_002_000); // later than the merge's main line
    await git(['checkout', '-q', 'main'], { cwd: dir });
    await git(['merge', '-q', '-s', 'ours', '--no-edit', 'side'], { cwd: dir });
    await git(['push', '-q', 'origin', 'main'], { cwd: dir });
    const check = async (when: string) => {
      assert.equal((await api('notes', '/api/v1/pages/Merged', tokens.alice)).json.content, '# Merged\n\naardvark on the main line.\n', when);
      assert.equal((await api('notes', '/api/v1/pages/Kept', tokens.alice)).status, 200, `${when}: the page the side branch deleted is still in the tree`);
      assert.match((await api('notes', '/api/v1/search?q=aardvark', tokens.alice)).text, /Merged/, when);
      assert.doesNotMatch((await api('notes', '/api/v1/search?q=zebra', tokens.alice)).text, /Merged/, when);
      assert.deepEqual((await api('notes', '/api/v1/pages/Merged', tokens.alice)).json.links_to, [], when);
    };
    await check('after the push');
    const history = (await api('notes', '/api/v1/pages/Merged/history', tokens.alice)).json.history as { message: string }[];
    assert.deepEqual(history.map((h) => h.message), ['Side', 'Base'], 'the side branch is in the history');
    // An index rebuilt from git replays the history commit by commit: the same result.
    const reindexed = await runScript('bin/admin.ts', ['wiki', 'reindex', 'notes'], { DATA_DIR: t.dataDir });
    assert.equal(reindexed.code, 0, reindexed.output);
    await check('after a reindex');
  });

  it('pulls what was edited in the web UI', async () => {
    const dir = await clone('notes', tokens.alice);
    const ui = new UiClient(t, 'notes', await sessionToken(t, 'alice.example.com'));
    const saved = await ui.savePage('Garden', '# Garden\n\nPotatoes now.\n', 'Switch crops');
    assert.equal(saved.status, 303, saved.text.slice(0, 300));
    const pull = await runGit(['pull', '-q', '--ff-only'], { cwd: dir });
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'Garden.md'), 'utf8'), '# Garden\n\nPotatoes now.\n');
    assert.match(await git(['log', '-1', '--format=%an|%s'], { cwd: dir }), /^Alice\|Switch crops$/m);
    // and back: a push on top of the web edit
    writeFiles(dir, { 'Garden.md': '# Garden\n\nPotatoes and leeks.\n' });
    await commitAll(dir, 'Add leeks');
    await git(['push', '-q'], { cwd: dir });
    assert.match((await ui.get('/Garden')).text, /Potatoes and leeks/);
  });

  it('serves shallow clones, deepens them, and unshallows them', async () => {
    const dir = await clone('notes', tokens.alice, ['--depth', '1']);
    assert.equal((await git(['rev-parse', '--is-shallow-repository'], { cwd: dir })).trim(), 'true');
    assert.equal((await git(['rev-list', '--count', 'HEAD'], { cwd: dir })).trim(), '1');
    await git(['fetch', '-q', '--depth', '3'], { cwd: dir });
    assert.equal((await git(['rev-list', '--count', 'HEAD'], { cwd: dir })).trim(), '3');
    await git(['fetch', '-q', '--unshallow'], { cwd: dir });
    assert.equal((await git(['rev-parse', '--is-shallow-repository'], { cwd: dir })).trim(), 'false');
    const full = await clone('notes', tokens.alice);
    assert.equal(await git(['rev-list', 'HEAD'], { cwd: dir }), await git(['rev-list', 'HEAD'], { cwd: full }));
    await git(['fsck', '--strict'], { cwd: dir });
  });

  it('fetches incrementally: only the new objects', async () => {
    const dir = await clone('notes', tokens.alice);
    const other = await clone('notes', tokens.alice);
    writeFiles(other, { 'Tiny.md': '# Tiny\n' });
    await commitAll(other, 'Tiny page');
    await git(['push', '-q'], { cwd: other });
    const r = await runGit(['fetch', '--progress'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Total 3 /, 'commit, tree and blob only');
  });
});

describe('a push racing a web edit', () => {
  it('lets exactly one of them win, refuses the other cleanly, and loses nothing', async (ctx) => {
    const dir = await clone('notes', tokens.alice);
    writeFiles(dir, { 'Race.md': '# Race\n\nstart\n' });
    await commitAll(dir, 'Race page');
    await git(['push', '-q'], { cwd: dir });
    const outcomes = { push: 0, web: 0 };
    for (let round = 0; round < 6; round++) {
      await git(['pull', '-q', '--ff-only'], { cwd: dir });
      const base = (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();
      writeFiles(dir, { 'Race.md': `# Race\n\npushed in round ${round}\n` });
      await commitAll(dir, `Push round ${round}`);
      // Even rounds start both at once (the web edit is quicker), odd rounds give the push a head start: both orders happen.
      const web = (async () => {
        await new Promise((r) => setTimeout(r, round % 2 ? 150 : 0));
        return api('notes', '/api/v1/pages/Race', tokens.carol, { method: 'PUT', body: { content: `# Race\n\nweb edit in round ${round}\n`, revision: base } });
      })();
      const [push, put] = await Promise.all([runGit(['push', 'origin', 'main'], { cwd: dir }), web]);
      const pushed = push.code === 0;
      const edited = put.status === 200;
      assert.ok(pushed !== edited, `exactly one wins (push ${push.code}: ${push.stderr}; web ${put.status}: ${put.text})`);
      if (pushed) {
        outcomes.push++;
        assert.equal(put.status, 409, put.text);
        assert.equal(put.json.error, 'conflict');
      } else {
        outcomes.web++;
        assert.match(push.stderr, /fetch first|rejected/);
        await git(['reset', '-q', '--hard', 'HEAD~1'], { cwd: dir });
      }
      const page = await api('notes', '/api/v1/pages/Race', tokens.alice);
      assert.equal(page.json.content, pushed ? `# Race\n\npushed in round ${round}\n` : `# Race\n\nweb edit in round ${round}\n`);
      assert.equal(page.json.revision, await head('notes', tokens.alice));
    }
    assert.ok(outcomes.push + outcomes.web === 6);
    ctx.diagnostic(`race outcomes: push won ${outcomes.push}, web edit won ${outcomes.web}`);
    const history = await api('notes', '/api/v1/pages/Race/history?limit=50', tokens.alice);
    assert.equal((history.json.history as unknown[]).length, 7, 'every winning change is in the history');
  });
});

describe('refused pushes', () => {
  let dir: string;

  before(async () => {
    dir = await clone('notes', tokens.alice);
  });

  async function refused(pattern: RegExp, ...args: string[]): Promise<string> {
    const headBefore = await head('notes', tokens.alice);
    const stderr = await pushRefused(dir, args.length ? args : ['origin', 'HEAD:main'], pattern);
    assert.equal(await head('notes', tokens.alice), headBefore, 'the wiki did not change');
    await git(['reset', '-q', '--hard', 'origin/main'], { cwd: dir });
    return stderr;
  }

  /** A commit on top of origin/main whose tree is origin/main's plus `entry` (a `git mktree` line). */
  async function commitWithEntry(entry: string): Promise<string> {
    await git(['fetch', '-q'], { cwd: dir });
    await git(['reset', '-q', '--hard', 'origin/main'], { cwd: dir });
    const lines = (await git(['ls-tree', 'origin/main'], { cwd: dir })).trimEnd().split('\n');
    const tree = (await git(['mktree'], { cwd: dir, input: [...lines, entry].join('\n') + '\n' })).trim();
    return (await git(['commit-tree', tree, '-p', 'origin/main', '-m', 'crafted'], { cwd: dir })).trim();
  }

  async function blob(content: string | Uint8Array): Promise<string> {
    return (await git(['hash-object', '-w', '--stdin'], { cwd: dir, input: content })).trim();
  }

  it('a non-fast-forward push, with a clear message', async () => {
    await git(['commit', '-q', '--amend', '-m', 'rewritten history'], { cwd: dir });
    const stderr = await refused(/non-fast-forward/, '--force', 'origin', 'HEAD:main');
    assert.match(stderr, /remote: .*git pull/);
  });

  it('a symbolic link', async () => {
    await git(['fetch', '-q'], { cwd: dir });
    fs.symlinkSync('/etc/passwd', path.join(dir, 'leak.md'));
    await commitAll(dir, 'link');
    const stderr = await refused(/refused/);
    assert.match(stderr, /remote: +"leak.md" is a symbolic link/);
  });

  it('a submodule (gitlink)', async () => {
    const sha = await commitWithEntry(`160000 commit ${'1'.repeat(40)}\tvendor`);
    assert.match(await refused(/refused/, 'origin', `${sha}:refs/heads/main`), /"vendor" is a submodule/);
  });

  it('paths with "..", ".git" or control characters', async () => {
    const b = await blob('x\n');
    for (const [entry, shown] of [
      [`100644 blob ${b}\t..`, /"\.\."/],
      [`100644 blob ${b}\t.git`, /"\.git"/],
      [`100644 blob ${b}\t.GIT`, /"\.GIT"/],
      [`100644 blob ${b}\tbad\u0001name.md`, /control character/],
    ] as const) {
      let sha: string;
      try {
        sha = await commitWithEntry(entry);
      } catch {
        continue; // this git refuses to write such a tree itself
      }
      assert.match(await refused(/refused/, 'origin', `${sha}:refs/heads/main`), shown);
    }
    // a nested .git folder made by the normal git commands
    const inner = (await git(['mktree'], { cwd: dir, input: `100644 blob ${b}\tconfig\n` })).trim();
    const sha = await commitWithEntry(`040000 tree ${inner}\t.git`);
    assert.match(await refused(/refused/, 'origin', `${sha}:refs/heads/main`), /"\.git\/?"?/);
  });

  it('a file over the attachment limit', async () => {
    await git(['fetch', '-q'], { cwd: dir });
    writeFiles(dir, { 'Big/huge.bin': new Uint8Array(10 * 1024 * 1024 + 1).map((_, i) => (i * 7919) & 255) });
    await commitAll(dir, 'huge');
    assert.match(await refused(/refused/), /"Big\/huge.bin" is 10485761 bytes: a file may be at most 10485760 bytes/);
  });

  it('a branch other than main, and deleting main', async () => {
    writeFiles(dir, { 'Branch.md': '# Branch\n' });
    await commitAll(dir, 'on a branch');
    assert.match(await refused(/only refs\/heads\/main/, 'origin', 'HEAD:refs/heads/feature'), /git push origin HEAD:main/);
    await refused(/rejected/i, 'origin', ':main'); // git does not even send it: deletes are not offered
  });

  it('a pack holding objects its commits do not use (stored, they would sit outside the quota)', async () => {
    await git(['fetch', '-q'], { cwd: dir });
    writeFiles(dir, { 'Used.md': '# Used\n' });
    await commitAll(dir, 'uses one new page');
    const old = (await git(['rev-parse', 'origin/main'], { cwd: dir })).trim();
    const next = (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();
    const extra = await blob(new Uint8Array(200 * 1024).map((_, i) => (i * 2654435761) >>> 24));
    const wanted = (await git(['rev-list', '--objects', 'origin/main..HEAD'], { cwd: dir })).trim().split('\n').map((l) => l.split(' ')[0]!);
    const pack = execFileSync('git', ['pack-objects', '-q', '--stdout'], { cwd: dir, input: [...wanted, extra].join('\n') + '\n', env: gitEnv() });
    const command = Buffer.from(`${old} ${next} refs/heads/main\0report-status\n`);
    const body = Buffer.concat([Buffer.from((command.byteLength + 4).toString(16).padStart(4, '0')), command, Buffer.from('0000'), pack]);
    const res = await t.fetch(t.url('/.git/git-receive-pack', 'notes'), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`x:${tokens.alice}`).toString('base64')}`, 'content-type': 'application/x-git-receive-pack-request' },
      body,
    });
    const report = Buffer.from(await res.arrayBuffer()).toString('latin1');
    assert.match(report, /ng refs\/heads\/main refused: unused objects/);
    assert.equal(await head('notes', tokens.alice), old, 'the wiki did not change');
    assert.throws(() => execFileSync('git', ['--git-dir', storedRepo('notes'), 'cat-file', '-e', extra], { env: gitEnv(), stdio: 'pipe' }), 'the unused blob was not stored');
    // The same commit pushed by git itself (only what it uses) is accepted.
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: dir });
    assert.equal(await head('notes', tokens.alice), next);
  });

  it('a commit under the wiki identity of someone else', async () => {
    await git(['fetch', '-q'], { cwd: dir });
    const commitAs = async (email: string, text: string) => {
      writeFiles(dir, { 'Approved.md': `# ${text}\n` });
      await git(['add', '-A'], { cwd: dir });
      const env = { GIT_AUTHOR_NAME: 'bob.example.com', GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: 'Alice', GIT_COMMITTER_EMAIL: 'alice@example.com' };
      await git(['commit', '-q', '-m', text], { cwd: dir, env });
    };
    await commitAs(`${BOB}@wiki.localhost`, 'Owner approved');
    assert.match(await refused(/refused/), /its author <did:plc:b+@wiki\.localhost> is this wiki's identity for someone else/);
    await commitAs('system@WIKI.localhost', 'The wiki approved');
    assert.match(await refused(/refused/), /its author <system@WIKI\.localhost>/);
    // The pusher's own wiki identity, or any identity outside the wiki's, is theirs to use.
    await commitAs(`${ALICE}@wiki.localhost`, 'Mine');
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: dir });
    const history = await api('notes', '/api/v1/pages/Approved/history', tokens.alice);
    assert.equal((history.json.history as { email: string }[])[0]!.email, `${ALICE}@wiki.localhost`);
  });

  it('another branch pushed beside main: both refused when its objects would be stored unused', async () => {
    await git(['fetch', '-q'], { cwd: dir });
    await git(['reset', '-q', '--hard', 'origin/main'], { cwd: dir });
    await git(['checkout', '-q', '-b', 'big'], { cwd: dir });
    const data = new Uint8Array(200 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    writeFiles(dir, { 'Big/data.bin': data });
    await commitAll(dir, 'a large file on a branch');
    const blobId = (await git(['rev-parse', 'HEAD:Big/data.bin'], { cwd: dir })).trim();
    await git(['checkout', '-q', 'main'], { cwd: dir });
    await git(['reset', '-q', '--hard', 'origin/main'], { cwd: dir });
    writeFiles(dir, { 'Beside.md': '# Beside\n' });
    const sha = await commitAll(dir, 'main moves too');
    const before = await head('notes', tokens.alice);
    const r = await runGit(['push', 'origin', 'main', 'big'], { cwd: dir });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /only refs\/heads\/main/);
    assert.match(r.stderr, /Push main alone: git push origin main/);
    assert.equal(await head('notes', tokens.alice), before);
    assert.throws(() => execFileSync('git', ['--git-dir', storedRepo('notes'), 'cat-file', '-e', blobId], { env: gitEnv(), stdio: 'pipe' }), 'the branch\'s file was not stored');
    await git(['push', '-q', 'origin', 'main'], { cwd: dir });
    assert.equal(await head('notes', tokens.alice), sha, 'main alone goes in');
    await git(['branch', '-q', '-D', 'big'], { cwd: dir });
  });

  it('a push that would take the wiki over its quota', async () => {
    const small = await clone('small', tokens.small);
    await setWikiQuota(db, 'small', { maxBytes: 4000 }, system);
    writeFiles(small, { 'Long.md': `# Long\n\n${'words '.repeat(1000)}\n` });
    await commitAll(small, 'too long');
    const before = await head('small', tokens.small);
    const stderr = await pushRefused(small, ['origin', 'main'], /over quota/);
    assert.match(stderr, /remote: Wiki quota exceeded/);
    assert.equal(await head('small', tokens.small), before);
    assert.equal((await api('small', '/api/v1/pages/Long', tokens.small)).status, 404);
  });
});

describe('request bodies', () => {
  it('reads a gzipped upload-pack request (git gzips large ones), and refuses one that inflates past the limit without inflating it all', async () => {
    const { gzipSync } = await import('node:zlib');
    const tip = await head('notes', tokens.alice);
    const line = (text: string) => `${(Buffer.byteLength(text) + 4).toString(16).padStart(4, '0')}${text}`;
    const request = `${line(`want ${tip} side-band-64k\n`)}0000${line('done\n')}`;
    const post = (body: Uint8Array) => t.fetch(t.url('/.git/git-upload-pack', 'notes'), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`x:${tokens.alice}`).toString('base64')}`, 'content-type': 'application/x-git-upload-pack-request', 'content-encoding': 'gzip' },
      body,
    });
    const ok = await post(gzipSync(Buffer.from(request)));
    assert.equal(ok.status, 200);
    assert.match(Buffer.from(await ok.arrayBuffer()).toString('latin1'), /NAK[\s\S]*PACK/);
    // 100 MB of zeros in about 100 KB.
    const bomb = await post(gzipSync(Buffer.alloc(100 * 1024 * 1024)));
    assert.equal(bomb.status, 413);
    assert.match(await bomb.text(), /larger than this wiki accepts/);
    const broken = await post(Buffer.from('not gzip at all'));
    assert.equal(broken.status, 400);
  });
});

describe('access', () => {
  it('a wiki with git access off answers 404, without a prompt, whatever the credential', async () => {
    for (const token of [undefined, tokens.closed]) {
      const r = await runGit(['clone', remote('closed', token), path.join(tempDir(), 'c')]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /not found|404/i);
      assert.doesNotMatch(r.stderr, /Username|Authentication/i);
    }
    const res = await t.fetch(t.url('/.git/info/refs?service=git-upload-pack', 'closed'));
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('www-authenticate'), null);
  });

  it('a private wiki without credentials is a 401 with a Basic challenge', async () => {
    const res = await t.fetch(t.url('/.git/info/refs?service=git-upload-pack', 'notes'));
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Basic realm="notes", charset="UTF-8"');
    const r = await runGit(['clone', remote('notes'), path.join(tempDir(), 'c')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Username|Authentication failed|401/i);
  });

  it('a token for another wiki is refused', async () => {
    const r = await runGit(['clone', remote('notes', tokens.other), path.join(tempDir(), 'c')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Authentication failed|401|not valid for the wiki "notes"/);
    const res = await t.fetch(t.url('/.git/info/refs?service=git-upload-pack', 'notes'), { headers: { authorization: `Basic ${Buffer.from(`x:${tokens.other}`).toString('base64')}` } });
    assert.equal(res.status, 401);
    assert.match(await res.text(), /not valid for the wiki "notes"/);
  });

  it('read access clones but cannot push: a read-only token, and a viewer', async () => {
    for (const token of [tokens.aliceRead, tokens.bob]) {
      const dir = await clone('notes', token);
      writeFiles(dir, { 'Nope.md': '# Nope\n' });
      await commitAll(dir, 'nope');
      const stderr = await pushRefused(dir, ['origin', 'main'], /403|read-only/);
      assert.match(stderr, /read-only/);
    }
    assert.equal((await api('notes', '/api/v1/pages/Nope', tokens.alice)).status, 404);
  });

  it('a public wiki clones anonymously; pushing asks for credentials', async () => {
    const dir = await clone('open');
    assert.match(fs.readFileSync(path.join(dir, 'Home.md'), 'utf8'), /^# Open/);
    writeFiles(dir, { 'Anon.md': '# Anon\n' });
    await commitAll(dir, 'anonymous');
    await pushRefused(dir, ['origin', 'main'], /Username|Authentication|401/i);
    await git(['push', '-q', remote('open', tokens.open), 'main'], { cwd: dir });
    assert.equal((await api('open', '/api/v1/pages/Anon', tokens.open)).status, 200);
  });

  it('the browser session cookie and a bearer token work too', async () => {
    const session = await sessionToken(t, 'alice.example.com');
    const dir = path.join(tempDir(), 'c');
    await git(['-c', `http.extraHeader=Cookie: wf_session=${session}`, 'clone', '-q', remote('notes'), dir]);
    assert.ok(fs.existsSync(path.join(dir, 'Home.md')));
    const dir2 = path.join(tempDir(), 'c');
    await git(['-c', `http.extraHeader=Authorization: Bearer ${tokens.alice}`, 'clone', '-q', remote('notes'), dir2]);
    assert.ok(fs.existsSync(path.join(dir2, 'Home.md')));
  });

  it('refuses a push with the session cookie that does not come from git (no form or cross-origin script can send it)', async () => {
    const session = await sessionToken(t, 'alice.example.com');
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await t.fetch(t.url('/.git/git-receive-pack', 'notes'), { method: 'POST', headers: { cookie: `wf_session=${session}`, 'content-type': type, origin: t.url('', 'open').replace(/\/$/, '') }, body: '0000' });
      assert.equal(res.status, 415, type);
    }
  });

  it('speaks only the smart protocol', async () => {
    const dumb = await t.fetch(t.url('/.git/info/refs', 'open'));
    assert.equal(dumb.status, 403);
    assert.equal((await t.fetch(t.url('/.git/HEAD', 'open'))).status, 404);
  });
});

describe('bringing an existing wiki in by push', () => {
  it('replaces the untouched first commit of a new wiki with the pushed history (robot.wtf layout)', async () => {
    const src = path.join(tempDir(), 'src');
    await git(['init', '-q', '-b', 'master', src]);
    writeFiles(src, { 'Home.md': '# Home\n\nStart at [[Actors/Iran Strategy]].\n', 'Actors/Iran_Strategy.md': '# Iran Strategy\n\nSee the map.\n' });
    const c1 = await commitAll(src, 'Initial commit', 1_700_000_000);
    writeFiles(src, { 'Actors/Iran_Strategy/map.png': new Uint8Array([137, 80, 78, 71, 1, 2, 3]), 'Old Notes.md': '# Old notes\n\nWith a [[Home]] link.\n' });
    const c2 = await commitAll(src, 'Add a map and old notes', 1_700_000_100);
    writeFiles(src, { 'Actors/Iran_Strategy.md': '# Iran Strategy\n\nSee the map: ![](/Actors/Iran_Strategy/map.png)\n' });
    const c3 = await commitAll(src, 'Show the map', 1_700_000_200);
    await git(['push', '-q', remote('fresh', tokens.fresh), 'master:main'], { cwd: src });

    assert.equal(await head('fresh', tokens.fresh), c3);
    const list = await api('fresh', '/api/v1/pages', tokens.fresh);
    assert.deepEqual((list.json.pages as { path: string }[]).map((p) => p.path), ['Actors/Iran_Strategy', 'Home', 'Old_Notes']);
    const history = await api('fresh', '/api/v1/pages/Actors/Iran_Strategy/history', tokens.fresh);
    assert.deepEqual((history.json.history as { revision: string }[]).map((h) => h.revision), [c3, c1]);
    const changes = await api('fresh', '/api/v1/changelog', tokens.fresh);
    assert.deepEqual((changes.json.entries as { revision: string }[]).map((e) => e.revision), [c3, c2, c1]);
    const legacy = await api('fresh', '/api/v1/pages/Old_Notes', tokens.fresh);
    assert.equal(legacy.json.content, '# Old notes\n\nWith a [[Home]] link.\n');
    const links = await api('fresh', '/api/v1/links/Home', tokens.fresh);
    assert.deepEqual((links.json.linked_from as string[]).sort(), ['Old_Notes']);
    const att = await t.fetch(t.url('/api/v1/pages/Actors/Iran_Strategy/attachments/map.png', 'fresh'), { headers: { authorization: `Bearer ${tokens.fresh}` } });
    assert.deepEqual(new Uint8Array(await att.arrayBuffer()), new Uint8Array([137, 80, 78, 71, 1, 2, 3]));
    // Once it has history, a second unrelated history is a non-fast-forward like any other.
    const again = path.join(tempDir(), 'again');
    await git(['init', '-q', again]);
    writeFiles(again, { 'Home.md': '# Other\n' });
    await commitAll(again, 'Unrelated');
    await pushRefused(again, [remote('fresh', tokens.fresh), 'main:main'], /rejected|non-fast-forward|fetch first/);
  });

  it('takes a copy of another wiki of this farm with its first commit, but not with other members\' edits', async () => {
    // A wiki only Alice wrote to: its first commit is the wiki's own.
    assert.equal((await api('other', '/api/v1/pages/Solo', tokens.other, { method: 'PUT', body: { content: '# Solo\n' } })).status, 201);
    const solo = await clone('other', tokens.other);
    const tip = (await git(['rev-parse', 'HEAD'], { cwd: solo })).trim();
    assert.match(await git(['log', '--format=%ae', '--reverse'], { cwd: solo }), /^system@wiki\.localhost\n/);
    await git(['push', '-q', remote('copy', tokens.copy), 'main:main'], { cwd: solo });
    assert.equal(await head('copy', tokens.copy), tip);
    const changes = (await api('copy', '/api/v1/changelog?limit=50', tokens.copy)).json.entries as { pushed_by: string | null }[];
    assert.ok(changes.length === 2 && changes.every((c) => c.pushed_by === 'alice.example.com'), 'every commit names who brought it in');
    // A history with another member's wiki identity in it is theirs to vouch for: refused.
    const notes = await clone('notes', tokens.alice);
    assert.match(await git(['log', '--format=%ae'], { cwd: notes }), new RegExp(`${CAROL}@wiki\\.localhost`));
    await pushRefused(notes, [remote('fresh2', tokens.fresh2), 'main:main'], /is this wiki's identity for someone else[\s\S]*wiki import/);
  });
});

describe('the stored repositories', () => {
  it('pass git fsck --strict after all of the above', () => {
    for (const slug of ['notes', 'open', 'small', 'fresh', 'copy']) {
      execFileSync('git', ['--git-dir', storedRepo(slug), 'fsck', '--strict', '--no-dangling'], { env: gitEnv(), stdio: 'pipe' });
    }
  });
});
