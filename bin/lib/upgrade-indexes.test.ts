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
