/**
 * indexCommits against a real sqld: a run of commits indexed in one batch
 * (each file's state written once, for its last change) leaves exactly the
 * index that indexing the commits one at a time leaves.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { seedWiki } from '../search/search-kit.test.ts';
import type { FileDiff } from '../git/diff-trees.ts';
import { bestPageFile } from '../pages/page-files.ts';
import { indexCommit, indexCommits, type CommitChanges, type IndexTarget } from './index-commit.ts';

const blobs = new Map<string, Uint8Array>();
function blob(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const oid = createHash('sha1').update(bytes).digest('hex');
  blobs.set(oid, bytes);
  return oid;
}
const readBlob = async (oid: string) => blobs.get(oid)!;

/** Current blob of each file, to make each change's oldOid. */
const files = new Map<string, string>();
function change(path: string, text: string | null): FileDiff {
  const oldOid = files.get(path);
  if (text === null) {
    files.delete(path);
    return { path, status: 'deleted', oldOid: oldOid! };
  }
  const newOid = blob(text);
  files.set(path, newOid);
  return oldOid ? { path, status: 'modified', oldOid, newOid } : { path, status: 'added', newOid };
}

let n = 0;
/** The files after each commit (all commits of this file form one line, each the parent of the next). */
const stateOf = new Map<string, Map<string, string>>();
let previous: string | null = null;
function commit(...changes: FileDiff[]): CommitChanges {
  n++;
  const oid = createHash('sha1').update(`commit ${n}`).digest('hex');
  stateOf.set(oid, new Map(files));
  const parent = previous;
  previous = oid;
  return { commit: { oid, parent, author: { name: `Author ${n}`, email: 'a@example.test' }, at: 1_700_000_000_000 + n * 1000, message: `Commit ${n}` }, changes };
}

// Edits, a delete and re-add, a legacy twin (`Old Name.md` beside `Old_Name.md`), links that come and go, attachments.
const HISTORY: CommitChanges[] = [
  commit(change('Home.md', '# Home\n\nSee [[Alpha]] and [[Beta]].\n'), change('Alpha.md', '---\ntitle: Alpha page\ntags: [x]\n---\nFirst alpha, links [[Home]].\n')),
  commit(change('Alpha.md', 'Second alpha, no links.\n'), change('Beta.md', 'Beta with [[Gamma]].\n'), change('Alpha/photo.png', 'PNG1')),
  commit(change('Beta.md', null), change('Old Name.md', 'Legacy spaced file.\n')),
  commit(change('Old_Name.md', 'The underscored twin, linking [[Home]].\n'), change('Alpha/photo.png', 'PNG2 larger')),
  commit(change('Beta.md', 'Beta is back, linking [[Alpha]].\n'), change('Old Name.md', null), change('Alpha/notes.txt', 'notes')),
  commit(change('Alpha.md', 'Third alpha: [[Beta]] and [[Home]].\n'), change('Alpha/notes.txt', null)),
];

/** The files (path → blob) after the first `count` commits of `history`. */
function stateAfter(history: readonly CommitChanges[], count: number): Map<string, string> {
  const state = new Map<string, string>();
  for (const c of history.slice(0, count)) for (const d of c.changes) d.newOid ? state.set(d.path, d.newOid) : state.delete(d.path);
  return state;
}

/** The index target for moving from the files of `from` to those of `to`: their diff, and `to` to look files up in. */
function targetFor(from: Map<string, string>, to: Map<string, string>): IndexTarget {
  const net: FileDiff[] = [];
  for (const path of [...new Set([...from.keys(), ...to.keys()])].sort()) {
    const [a, b] = [from.get(path), to.get(path)];
    if (a === b) continue;
    net.push(!b ? { path, status: 'deleted', oldOid: a! } : a ? { path, status: 'modified', oldOid: a, newOid: b } : { path, status: 'added', newOid: b });
  }
  return {
    net,
    pageFile: async (key) => {
      const path = bestPageFile(key, to.keys());
      return path === null ? null : { path, oid: to.get(path)! };
    },
    attachmentFile: async (key, name) => {
      const path = [...to.keys()].find((p) => p === `${key}/${name}`);
      return path === undefined ? null : { path, oid: to.get(path)! };
    },
    pageFileIn: async (commit, key) => {
      const state = stateOf.get(commit)!;
      const path = bestPageFile(key, state.keys());
      return path === null ? null : { path, oid: state.get(path)! };
    },
  };
}

const ONE = 'wk_onebatchonebatch';
const EACH = 'wk_eachcommiteach';
let s: TestSqld;
before(async () => {
  s = await startTestSqld();
  await seedWiki(s.db, ONE);
  await seedWiki(s.db, EACH);
});
after(() => s.stop());

type Row = Record<string, unknown>;
const TABLES = ['pages', 'fullText', 'links', 'revisions', 'attachments', 'commits', 'usage'] as const;

/** Every derived row of wiki `id`, without ids that differ between wikis. */
async function indexOf(id: string): Promise<Record<(typeof TABLES)[number], Row[]>> {
  const q = (text: string) => s.db.all<Row>(sql.raw(text.replaceAll('$W', `'${id}'`)));
  return {
    pages: await q('select path, file_path, title, frontmatter, category, tags, size, blob_oid, updated_commit, updated_at, updated_by from pages where wiki_id = $W order by path'),
    fullText: await q('select p.path, t.body, (select count(*) from pages_fts f where pages_fts match \'wiki : \' || replace(p.wiki_id, \'_\', \'\') and f.rowid = p.id) as indexed from pages p left join page_texts t on t.id = p.id where p.wiki_id = $W order by p.path'),
    links: await q('select src, dst from page_links where wiki_id = $W order by src, dst'),
    revisions: await q('select path, "commit", seq, blob_oid, change, at from page_revisions where wiki_id = $W order by seq, path'),
    attachments: await q('select page, name, file_path, size, blob_oid, updated_commit from attachments where wiki_id = $W order by page, name'),
    commits: await q('select oid, seq, parent, author_name, message from wiki_commits where wiki_id = $W order by seq'),
    usage: await q('select bytes, pages from wiki_usage where wiki_id = $W'),
  };
}

it('indexes a run of commits in one batch to the same index as one commit at a time', async () => {
  await s.db.batch(await indexCommits(s.db, ONE, HISTORY, targetFor(new Map(), stateAfter(HISTORY, HISTORY.length)), readBlob) as [never]);
  for (let i = 0; i < HISTORY.length; i++) {
    const c = HISTORY[i]!;
    await s.db.batch(await indexCommit(s.db, EACH, c.commit, c.changes, targetFor(stateAfter(HISTORY, i), stateAfter(HISTORY, i + 1)), readBlob) as [never]);
  }
  const one = await indexOf(ONE);
  assert.deepEqual(one, await indexOf(EACH));
  // And that index is the history's end state.
  assert.deepEqual(one.pages.map((p) => p.path), ['Alpha', 'Beta', 'Home', 'Old_Name']);
  assert.equal(one.pages.find((p) => p.path === 'Old_Name')!.file_path, 'Old_Name.md');
  assert.deepEqual(one.links, [
    { src: 'Alpha', dst: 'Beta' },
    { src: 'Alpha', dst: 'Home' },
    { src: 'Beta', dst: 'Alpha' },
    { src: 'Home', dst: 'Alpha' },
    { src: 'Home', dst: 'Beta' },
    { src: 'Old_Name', dst: 'Home' },
  ]);
  assert.deepEqual(one.attachments.map((a) => [a.name, a.size]), [['photo.png', 11]]);
  // Every change to a page, but not the removal of `Old Name.md` beside `Old_Name.md`, which left that page as it was.
  assert.equal(one.revisions.length, 9);
  assert.deepEqual(one.revisions.filter((r) => r.path === 'Old_Name').map((r) => r.change), ['added', 'modified']);
  assert.equal(one.commits.length, HISTORY.length);
});

it('reads each file\'s text once, for its last change only', async () => {
  const read: string[] = [];
  await indexCommits(s.db, 'wk_countreadscount', HISTORY, targetFor(new Map(), stateAfter(HISTORY, HISTORY.length)), async (oid) => {
    read.push(oid);
    return blobs.get(oid)!;
  });
  const last = new Map<string, FileDiff>();
  for (const c of HISTORY) for (const d of c.changes) last.set(d.path, d);
  assert.deepEqual(new Set(read), new Set([...last.values()].filter((d) => d.newOid).map((d) => d.newOid)));
  assert.equal(read.length, new Set(read).size);
});

/** The page rows of wiki `id`: key, file and text. */
async function pagesOf(id: string): Promise<[string, string, string][]> {
  const rows = await s.db.all<{ path: string; file_path: string; blob_oid: string }>(sql`select path, file_path, blob_oid from pages where wiki_id = ${id} order by path`);
  return rows.map((r) => [r.path, r.file_path, new TextDecoder().decode(blobs.get(r.blob_oid))]);
}

it('takes pages from the target state, not from replaying each commit: a merge that kept the main line keeps it', async () => {
  const id = 'wk_mergemergemerge';
  await seedWiki(s.db, id);
  files.clear();
  const base = commit(change('P.md', 'alpha\n'), change('Q.md', 'kept\n'));
  const main = stateAfter([base], 1);
  // A side branch changes P and deletes Q; the merge (`-s ours`) keeps the main line's files.
  const side = commit(change('P.md', 'beta [[Beta_Link]]\n'), change('Q.md', null));
  const merge = commit();
  await s.db.batch(await indexCommits(s.db, id, [base, side, merge], targetFor(new Map(), main), readBlob) as [never]);
  assert.deepEqual(await pagesOf(id), [['P', 'P.md', 'alpha\n'], ['Q', 'Q.md', 'kept\n']]);
  const links = await s.db.all(sql`select dst from page_links where wiki_id = ${id}`);
  assert.deepEqual(links, [], 'no link from the side branch text');
  const revisions = await s.db.all<{ n: number }>(sql`select count(*) as n from page_revisions where wiki_id = ${id}`);
  assert.equal(revisions[0]!.n, 4, 'the side branch is still in the history');
});

it('shows the file git reads first for a page with two (underscore before spaces), and drops the page only when neither is left', async () => {
  const id = 'wk_twintwintwin';
  await seedWiki(s.db, id);
  files.clear();
  const history = [
    commit(change('Old_Name.md', 'underscore\n')),
    commit(change('Old Name.md', 'legacy, edited last\n')),
    commit(change('Old_Name.md', null)),
    commit(change('Old Name.md', null)),
  ];
  const expected = [[['Old_Name', 'Old_Name.md', 'underscore\n']], [['Old_Name', 'Old_Name.md', 'underscore\n']], [['Old_Name', 'Old Name.md', 'legacy, edited last\n']], []];
  for (let i = 0; i < history.length; i++) {
    const c = history[i]!;
    await s.db.batch(await indexCommit(s.db, id, c.commit, c.changes, targetFor(stateAfter(history, i), stateAfter(history, i + 1)), readBlob) as [never]);
    assert.deepEqual(await pagesOf(id), expected[i], `after commit ${i + 1}`);
  }
});

it('names the same commit for a page whether its history came in one push or is rebuilt whole: reverts, re-creations, twins', async () => {
  files.clear();
  const history = [
    commit(change('P.md', 'x\n'), change('R.md', 'r\n'), change('Foo_Bar.md', 'u\n'), change('Foo Bar.md', 'l\n')),
    commit(change('P.md', 'y\n'), change('R.md', null)),
    commit(change('P.md', 'x\n'), change('R.md', 'r\n')), // both back as they were
    commit(change('Foo_Bar.md', null)), // the legacy twin becomes the page
    commit(change('Other.md', 'o\n')),
  ];
  const attribution = async (id: string) => s.db.all<{ path: string; updated_commit: string; file_path: string }>(sql`select path, updated_commit, file_path from pages where wiki_id = ${id} order by path`);
  // Pushed: the first commit, then the rest in one run.
  await seedWiki(s.db, 'wk_pushedpushed');
  await s.db.batch(await indexCommits(s.db, 'wk_pushedpushed', history.slice(0, 1), targetFor(new Map(), stateAfter(history, 1)), readBlob) as [never]);
  await s.db.batch(await indexCommits(s.db, 'wk_pushedpushed', history.slice(1), targetFor(stateAfter(history, 1), stateAfter(history, history.length)), readBlob) as [never]);
  // Rebuilt: the whole history in one run.
  await seedWiki(s.db, 'wk_rebuiltrebuilt');
  await s.db.batch(await indexCommits(s.db, 'wk_rebuiltrebuilt', history, targetFor(new Map(), stateAfter(history, history.length)), readBlob) as [never]);
  const pushed = await attribution('wk_pushedpushed');
  assert.deepEqual(pushed, await attribution('wk_rebuiltrebuilt'));
  const of = (path: string) => pushed.find((p) => p.path === path)!;
  assert.equal(of('P').updated_commit, history[2]!.commit.oid, 'the revert is the last change');
  assert.equal(of('R').updated_commit, history[2]!.commit.oid, 'so is the re-creation');
  assert.deepEqual([of('Foo_Bar').file_path, of('Foo_Bar').updated_commit], ['Foo Bar.md', history[3]!.commit.oid], 'the twin, from the commit that made it the page');
});
