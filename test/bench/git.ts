/**
 * Git over HTTP: clone of a 500-page wiki with 2,000 commits, timed against
 * `git http-backend` serving the same repository in the same run (issue
 * target: within 3×), once as an imported wiki (one pack, as a push or
 * `wiki import` stores it) and once for the corpus wiki written through the
 * REST API (loose objects); and push of one commit, p50 (target ≤ 50 ms),
 * as the receive-pack request the git CLI sends (server side) and as the
 * whole `git push`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Stack } from '../../bin/lib/stack.ts';
import { openDb } from '../../workers/lib/db.ts';
import { mintPersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, getWikiBySlug } from '../../workers/lib/directory/wikis.ts';
import { concat } from '../../workers/lib/bytes.ts';
import { FLUSH, pkt } from '../../workers/wiki/git-http/pkt-line.ts';
import { gitEnv } from '../helpers/git-cli.ts';
import { httpFetch } from '../helpers/http.ts';
import { startHttpBackend } from './git-http-backend.ts';

const OWNER = 'did:plc:gitbenchgitbenchgitbench';
const PAGES = 500;
const COMMITS = 2000;
const CLONE_RUNS = Number(process.env.BENCH_GIT_CLONES ?? 5);
const PUSHES = Number(process.env.BENCH_GIT_PUSHES ?? 40);
const CLI_PUSHES = 15;
const WORDS = 'alpha beta gamma delta wiki agent research notes garden river mountain protocol index search history page link graph quantum market policy'.split(' ');
const system = { kind: 'system' } as const;

export const GIT_SCENARIOS = ['git-clone', 'git-clone-loose', 'git-push'];

function pageText(i: number, revision: number): string {
  const size = 1024 + ((i * 7919) % 7168);
  const lines = [`# Page ${i}`, '', `Links: [[Page ${(i + 1) % PAGES}]], [[Page ${(i * 31) % PAGES}]] and [[Topic ${i % 20}]].`, '', `Revision ${revision}.`, ''];
  let n = i + revision;
  while (lines.join('\n').length < size) {
    n = (n * 1103515245 + 12345) % 2147483648;
    lines.push(Array.from({ length: 12 }, (_, k) => WORDS[(n >> k) % WORDS.length]).join(' ') + '.');
  }
  return lines.join('\n') + '\n';
}

/** `git fast-import` input: a Home page, 499 more pages one commit each, then edits until 2,000 commits. */
function history(): string {
  const out: string[] = [];
  let n = 0;
  const commit = (message: string, file: string, content: string) => {
    out.push(`commit refs/heads/main\ncommitter Bench <bench@example.test> ${1_700_000_000 + n * 60} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`);
    out.push(`M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n\n`);
    n++;
  };
  commit('Initial commit', 'Home.md', '# Home\n\nWelcome to the benchmark wiki.\n');
  for (let i = 1; i < PAGES; i++) commit(`Add Page ${i}`, `Page_${i}.md`, pageText(i, 0));
  for (let r = 1; n < COMMITS; r++) {
    const i = 1 + ((n * 7919) % (PAGES - 1));
    commit(`Edit Page ${i}`, `Page_${i}.md`, pageText(i, r));
  }
  return out.join('');
}

function run(args: string[], options: { cwd?: string; input?: string | Uint8Array } = {}): Promise<{ code: number | null; stdout: Buffer; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('git', args, { cwd: options.cwd, env: gitEnv(), stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => (err += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err, ms: performance.now() - started }));
    if (child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}

async function git(args: string[], options: { cwd?: string; input?: string | Uint8Array } = {}): Promise<Buffer> {
  const r = await run(args, options);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

async function timeClones(ours: string, theirs: string): Promise<{ ours: number[]; backend: number[] }> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wikifarm-bench-clone-'));
  const times = { ours: [] as number[], backend: [] as number[] };
  try {
    for (let i = 0; i < CLONE_RUNS + 1; i++) {
      // Alternate the servers so that noise on the machine falls on both; the first round warms up.
      for (const [which, url] of [['ours', ours], ['backend', theirs]] as const) {
        const dir = path.join(scratch, `${which}-${i}`);
        const r = await run(['clone', '-q', url, dir]);
        if (r.code !== 0) throw new Error(`clone from ${which} failed: ${r.stderr}`);
        if (i > 0) times[which].push(r.ms);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { ours: times.ours.sort((a, b) => a - b), backend: times.backend.sort((a, b) => a - b) };
}

function cloneResult(name: string, what: string, t: { ours: number[]; backend: number[] }, log: (l: string) => void): Record<string, unknown> {
  const ours = percentile(t.ours, 50);
  const backend = percentile(t.backend, 50);
  const ratio = ours / backend;
  log(`${name.padEnd(26)} ours p50 ${Math.round(ours)} ms (min ${Math.round(t.ours[0]!)})  git http-backend p50 ${Math.round(backend)} ms (min ${Math.round(t.backend[0]!)})  ratio ${ratio.toFixed(2)} (target ≤ 3)`);
  return { name, what, runs: t.ours.length, oursMs: { p50: round(ours), min: round(t.ours[0]!), max: round(t.ours.at(-1)!) }, httpBackendMs: { p50: round(backend), min: round(t.backend[0]!), max: round(t.backend.at(-1)!) }, ratio: Math.round(ratio * 100) / 100, ok: ratio <= 3 };
}

/** Runs the selected git scenarios; returns their results for results.json. */
export async function measureGit(stack: Stack, dataDir: string, only: Set<string> | null, log: (line: string) => void): Promise<Record<string, unknown>[]> {
  const wanted = (name: string) => !only || only.has(name);
  if (!GIT_SCENARIOS.some(wanted)) return [];
  const results: Record<string, unknown>[] = [];
  const { db, client } = openDb({ url: stack.sqldUrl });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wikifarm-bench-git-'));
  const backend = await startHttpBackend(path.join(dataDir, 'git'));
  try {
    await upsertUser(db, { did: OWNER, handle: 'git-bench.example.com' }, system);
    const wiki = await createWiki(db, { slug: 'gitbench', ownerDid: OWNER, title: 'Git bench' }, system);
    const token = (await mintPersonalAccessToken(db, { wiki, userDid: OWNER, name: 'bench', scopes: ['read', 'write'], expiresAt: null }, system)).token;
    const remote = `http://x-token:${token}@gitbench.wiki.localhost:${stack.wikiPort}/.git`;

    // The history, made by git itself, brought in by a push into the new wiki (as an import would).
    const source = path.join(scratch, 'source.git');
    await git(['init', '-q', '--bare', '-b', 'main', source]);
    await git(['--git-dir', source, 'fast-import', '--quiet'], { input: history() });
    const imported = await run(['--git-dir', source, 'push', '-q', remote, 'main']);
    if (imported.code !== 0) throw new Error(`the import push failed: ${imported.stderr}`);
    log(`(pushed ${COMMITS} commits of ${PAGES} pages into a new wiki in ${Math.round(imported.ms)} ms: every commit indexed)`);
    results.push({ name: 'git-import-push', what: `git push of a ${COMMITS}-commit, ${PAGES}-page history into a new wiki (stored as one pack, every commit indexed in one transaction)`, ms: round(imported.ms), ok: true });

    if (wanted('git-clone')) {
      const t = await timeClones(remote, backend.url(`${wiki.id}.git`));
      results.push(cloneResult('git-clone', `git clone of a ${PAGES}-page wiki with ${COMMITS} commits (imported: one pack), ours vs git http-backend on the same repository`, t, log));
    }

    const corpus = await getWikiBySlug(db, 'corpus');
    if (wanted('git-clone-loose') && corpus) {
      const corpusToken = (await mintPersonalAccessToken(db, { wiki: corpus, userDid: corpus.ownerDid, name: 'bench-git', scopes: ['read'], expiresAt: null }, system)).token;
      const commits = Number((await git(['--git-dir', path.join(dataDir, 'git', `${corpus.id}.git`), 'rev-list', '--count', 'main'])).toString().trim());
      const t = await timeClones(`http://x-token:${corpusToken}@corpus.wiki.localhost:${stack.wikiPort}/.git`, backend.url(`${corpus.id}.git`));
      results.push(cloneResult('git-clone-loose', `git clone of the corpus wiki written through the REST API (${PAGES} pages, ${commits} commits, loose objects), ours vs git http-backend`, t, log));
    }

    if (wanted('git-push')) {
      const work = path.join(scratch, 'work');
      await git(['clone', '-q', remote, work]);
      const auth = `Basic ${Buffer.from(`x-token:${token}`).toString('base64')}`;
      const url = `http://gitbench.wiki.localhost:${stack.wikiPort}/.git/git-receive-pack`;
      const times: number[] = [];
      for (let i = 0; i < PUSHES + 3; i++) {
        const page = 1 + ((i * 37) % (PAGES - 1));
        fs.writeFileSync(path.join(work, `Page_${page}.md`), pageText(page, 10_000 + i));
        await git(['commit', '-q', '-am', `Bench push ${i}`], { cwd: work });
        const [next, prev] = (await git(['rev-parse', 'HEAD', 'HEAD~1'], { cwd: work })).toString().trim().split('\n');
        const pack = await git(['pack-objects', '--stdout', '--revs', '--delta-base-offset', '-q'], { cwd: work, input: `${next}\n^${prev}\n` });
        const body = concat([pkt(`${prev} ${next} refs/heads/main\0report-status side-band-64k quiet agent=bench\n`), FLUSH, pack]);
        const started = performance.now();
        const res = await httpFetch(url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-git-receive-pack-request' }, body });
        const answer = Buffer.from(await res.arrayBuffer()).toString('latin1');
        const ms = performance.now() - started;
        if (res.status !== 200 || !answer.includes('ok refs/heads/main')) throw new Error(`push ${i} was not accepted (${res.status}): ${answer}`);
        if (i >= 3) times.push(ms);
      }
      await git(['fetch', '-q'], { cwd: work });
      const cli: number[] = [];
      for (let i = 0; i < CLI_PUSHES; i++) {
        const page = 1 + ((i * 53) % (PAGES - 1));
        fs.writeFileSync(path.join(work, `Page_${page}.md`), pageText(page, 20_000 + i));
        await git(['commit', '-q', '-am', `Bench CLI push ${i}`], { cwd: work });
        const r = await run(['push', '-q', 'origin', 'main'], { cwd: work });
        if (r.code !== 0) throw new Error(`git push failed: ${r.stderr}`);
        cli.push(r.ms);
      }
      times.sort((a, b) => a - b);
      cli.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      log(`${'git-push'.padEnd(26)} receive-pack p50 ${round(p50)} ms  p99 ${round(percentile(times, 99))} ms  max ${round(times.at(-1)!)} ms (target p50 ≤ 50)  whole git push p50 ${Math.round(percentile(cli, 50))} ms`);
      results.push({
        name: 'git-push',
        what: 'push of one commit (one page edited) to the 2,000-commit wiki: the git-receive-pack POST as git sends it (auth, pack checks, objects stored, head CAS + index batch, ref), one at a time; and the whole git push (CLI, 2 requests + its own work)',
        requests: times.length,
        p50: round(p50),
        p99: round(percentile(times, 99)),
        max: round(times.at(-1)!),
        gitPushCliMs: { runs: cli.length, p50: round(percentile(cli, 50)), max: round(cli.at(-1)!) },
        ok: p50 <= 50,
      });
    }
  } finally {
    client.close();
    await backend.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}
