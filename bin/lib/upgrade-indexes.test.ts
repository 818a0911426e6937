import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { pages, semanticChunks, users, wikiRepos, wikis } from '../../db/schema.ts';
import { startTestSqld, type TestSqld } from '../../test/helpers/sqld.ts';
import { tempDir } from '../../test/helpers/temp.ts';
import { INDEX_VERSION } from '../../workers/wiki/index/index-version.ts';
import { buildMatchQuery } from '../../workers/wiki/search/match-query.ts';
import { keywordMatch } from '../../workers/wiki/semantic/search.ts';
import { MIGRATIONS_DIR, migrateStore } from './migrate.ts';
import { upgradeIndexes, wikiGitDir } from './upgrade-indexes.ts';

const OWNER = 'did:plc:upgradeowner';
let s: TestSqld;
let gitRoot: string;

/** A bare repository for `wikiId` under gitRoot, made with the git CLI, holding `files`; returns its head. */
function gitRepo(wikiId: string, files: Record<string, string>): string {
  const work = tempDir('wikifarm-upgrade-work-');
  const git = (...args: string[]) => execFileSync('git', ['-C', work, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.test' } }).trim();
  git('init', '-q', '-b', 'main');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
    fs.writeFileSync(path.join(work, name), text);
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'Pages');
  execFileSync('git', ['clone', '-q', '--bare', work, wikiGitDir(gitRoot, wikiId)]);
  return git('rev-parse', 'HEAD');
}

async function addWiki(id: string, state: { headCommit: string | null; indexedCommit: string | null; indexVersion: number }): Promise<void> {
  const now = Date.now();
  await s.db.insert(wikis).values({ id, slug: id.replace(/_/g, '-'), title: id, ownerDid: OWNER, createdAt: now, updatedAt: now });
  await s.db.insert(wikiRepos).values({ wikiId: id, ...state, updatedAt: now });
}

const pagePaths = async (wikiId: string) => (await s.db.select({ path: pages.path }).from(pages).where(eq(pages.wikiId, wikiId))).map((r) => r.path).sort();
const versionOf = async (wikiId: string) => (await s.db.select({ v: wikiRepos.indexVersion }).from(wikiRepos).where(eq(wikiRepos.wikiId, wikiId)))[0]!.v;

before(async () => {
  s = await startTestSqld();
  gitRoot = tempDir('wikifarm-upgrade-git-');
  await s.db.insert(users).values({ did: OWNER, handle: 'upgrade.test.example', createdAt: Date.now(), updatedAt: Date.now() });
});
after(() => s.stop());

it('rebuilds an index built with older rules, so pages those rules missed appear, and leaves current ones alone', async () => {
  // Version 1 did not read `Mixed name_v2.md` (spaces and underscores mixed): its index holds only Home.
  const oldHead = gitRepo('wk_upgradeold', { 'Home.md': '# Home\n\nSee [[Mixed name v2]].\n', 'Mixed name_v2.md': '# Mixed\n\nfound at last\n' });
  await addWiki('wk_upgradeold', { headCommit: oldHead, indexedCommit: oldHead, indexVersion: 1 });
  await s.db.insert(pages).values({ wikiId: 'wk_upgradeold', path: 'Home', filePath: 'Home.md', title: 'Home', size: 1, blobOid: 'x', updatedCommit: oldHead, updatedAt: 0, updatedBy: 'T', tags: '' });
  // A current index is not touched: its (made-up) row survives.
  const currentHead = gitRepo('wk_upgradecurrent', { 'Home.md': '# Home\n' });
  await addWiki('wk_upgradecurrent', { headCommit: currentHead, indexedCommit: currentHead, indexVersion: INDEX_VERSION });
  await s.db.insert(pages).values({ wikiId: 'wk_upgradecurrent', path: 'Marker', filePath: 'Marker.md', title: 'Marker', size: 1, blobOid: 'x', updatedCommit: currentHead, updatedAt: 0, updatedBy: 'T', tags: '' });
  // An old row with nothing indexed yet is only marked current.
  await addWiki('wk_upgradeempty', { headCommit: null, indexedCommit: null, indexVersion: 1 });

  const lines: string[] = [];
  const result = await upgradeIndexes(s.db, gitRoot, (line) => lines.push(line));
  assert.deepEqual(result, { rebuilt: 1, commits: 1 });
  assert.deepEqual(await pagePaths('wk_upgradeold'), ['Home', 'Mixed_name_v2']);
  assert.equal(await versionOf('wk_upgradeold'), INDEX_VERSION);
  assert.deepEqual(await pagePaths('wk_upgradecurrent'), ['Marker']);
  assert.equal(await versionOf('wk_upgradeempty'), INDEX_VERSION);
  assert.ok(lines.some((l) => /wk-upgradeold: index rebuilt \(1 commits\)/.test(l)), lines.join('\n'));
  // Its full text is rebuilt too, in the wiki's own words.
  const found = await s.db.all<{ path: string }>(sql`select p.path from pages_fts f join pages p on p.id = f.rowid where pages_fts match ${buildMatchQuery('wk_upgradeold', 'found')}`);
  assert.deepEqual(found.map((r) => r.path), ['Mixed_name_v2']);

  // The next start finds nothing to do.
  assert.deepEqual(await upgradeIndexes(s.db, gitRoot, () => {}), { rebuilt: 0, commits: 0 });
});

it('writes the words of an old wiki\'s semantic chunks again, which migration 0013 emptied', async () => {
  await addWiki('wk_upgradechunks', { headCommit: null, indexedCommit: null, indexVersion: 2 });
  await s.db.insert(semanticChunks).values({ wikiId: 'wk_upgradechunks', page: 'Home', revision: 'r', chunkIndex: 0, chunkCount: 1, section: 'Garden', prefix: 'Home', text: 'Tomatoes need sun.' });
  const match = sql`select rowid from semantic_chunks_fts where semantic_chunks_fts match ${keywordMatch('wk_upgradechunks', 'tomato')}`;
  assert.equal((await s.db.all(match)).length, 0, 'no trigger writes the words any more');
  const lines: string[] = [];
  await upgradeIndexes(s.db, gitRoot, (line) => lines.push(line));
  assert.equal((await s.db.all(match)).length, 1);
  assert.ok(lines.some((l) => /wk-upgradechunks: words of 1 semantic chunk\(s\) written again/.test(l)), lines.join('\n'));
});

/** A copy of the migrations as they were up to and including `last` (its journal index). */
function migrationsUpTo(last: number): string {
  const dir = tempDir('wikifarm-migrations-');
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  for (const e of journal.entries.filter((e) => e.idx > last)) {
    fs.rmSync(path.join(dir, `${e.tag}.sql`));
    fs.rmSync(path.join(dir, 'meta', `${e.tag.slice(0, 4)}_snapshot.json`), { force: true });
  }
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

it('upgrades a store indexed before per-wiki words: page bodies kept, pages and chunks found by their words after the start', async () => {
  const store = await startTestSqld({ migrate: false });
  try {
    await migrateStore(store.db, migrationsUpTo(11));
    const id = 'wk_upgradewords';
    const head = gitRepo(id, { 'Home.md': '# Home\n\nNotes about gardens.\n' });
    const now = Date.now();
    await store.db.insert(users).values({ did: OWNER, handle: 'upgrade.test.example', createdAt: now, updatedAt: now });
    await store.db.insert(wikis).values({ id, slug: 'upgradewords', title: id, ownerDid: OWNER, createdAt: now, updatedAt: now });
    await store.db.insert(wikiRepos).values({ wikiId: id, headCommit: head, indexedCommit: head, indexVersion: 2, updatedAt: now });
    // As index version 2 wrote them: the text in pages_fts; the chunk's words copied by a trigger.
    await store.db.insert(pages).values({ wikiId: id, path: 'Home', filePath: 'Home.md', title: 'Home', size: 1, blobOid: 'x', updatedCommit: head, updatedAt: 0, updatedBy: 'T', tags: '' });
    await store.db.run(sql`insert into pages_fts (rowid, wiki, title, body) select id, ${id}, 'Home', ${'# Home\n\nNotes about gardens.\n'} from pages where wiki_id = ${id}`);
    await store.db.insert(semanticChunks).values({ wikiId: id, page: 'Home', revision: head, chunkIndex: 0, chunkCount: 1, section: 'Home', prefix: 'Home', text: 'Notes about gardens.' });

    await migrateStore(store.db);
    const texts = await store.db.all<{ body: string }>(sql`select body from page_texts`);
    assert.deepEqual(texts.map((t) => t.body), ['# Home\n\nNotes about gardens.\n'], 'migration 0012 keeps the bodies');

    await upgradeIndexes(store.db, gitRoot, () => {});
    const found = await store.db.all<{ path: string }>(sql`select p.path from pages_fts f join pages p on p.id = f.rowid where pages_fts match ${buildMatchQuery(id, 'garden')}`);
    assert.deepEqual(found.map((r) => r.path), ['Home']);
    const chunks = await store.db.all(sql`select rowid from semantic_chunks_fts where semantic_chunks_fts match ${keywordMatch(id, 'gardens')}`);
    assert.equal(chunks.length, 1);
  } finally {
    await store.stop();
  }
});
