/**
 * What `wiki import` reads: a git repository on disk (bare, or a work tree
 * with `.git`, as robot.wtf keeps its wikis) or a git bundle file (v2 or v3,
 * complete: no prerequisites). Returns one branch's whole history as a pack
 * in memory, without the git CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../workers/lib/errors.ts';
import { RepoObjects } from '../../workers/wiki/git-http/object-store.ts';
import { packObjects } from '../../workers/wiki/git-http/pack-objects.ts';
import { Pack } from '../../workers/wiki/git-http/pack.ts';
import { ParsedReader } from '../../workers/wiki/git-http/parsed-reader.ts';
import { commitsToSend, objectsToSend } from '../../workers/wiki/git-http/walk.ts';

export interface ImportSource {
  /** The branch imported, e.g. `refs/heads/master`. */
  ref: string;
  head: string;
  /** Every object of the branch's history (and possibly more). */
  pack: Pack;
  kind: 'repository' | 'bundle';
}

const OID = /^[0-9a-f]{40}$/;

/** The branch to import: the one asked for, else what HEAD names, else main or master, else the only branch. */
function chooseBranch(refs: Map<string, string>, headRef: string | null, wanted: string | undefined, where: string): string {
  const branches = [...refs.keys()].filter((r) => r.startsWith('refs/heads/'));
  if (wanted) {
    const ref = wanted.startsWith('refs/') ? wanted : `refs/heads/${wanted}`;
    if (!refs.has(ref)) throw new AppError('not_found', `${where} has no branch ${wanted} (it has: ${branches.map((b) => b.slice(11)).join(', ') || 'none'}).`);
    return ref;
  }
  if (headRef && refs.has(headRef)) return headRef;
  for (const name of ['refs/heads/main', 'refs/heads/master']) if (refs.has(name)) return name;
  if (branches.length === 1) return branches[0]!;
  throw new AppError('invalid', `${where} has ${branches.length ? `several branches (${branches.map((b) => b.slice(11)).join(', ')})` : 'no branch'}: choose one with --branch.`);
}

function gitdirOf(dir: string): string {
  const dotgit = path.join(dir, '.git');
  if (fs.existsSync(dotgit)) {
    if (fs.statSync(dotgit).isDirectory()) return dotgit;
    const m = /^gitdir: (.+)$/m.exec(fs.readFileSync(dotgit, 'utf8'));
    if (m) return path.resolve(dir, m[1]!.trim());
  }
  if (fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects'))) return dir;
  throw new AppError('invalid', `${dir} is not a git repository.`);
}

function readRefs(gitdir: string): { refs: Map<string, string>; headRef: string | null } {
  const refs = new Map<string, string>();
  const packed = path.join(gitdir, 'packed-refs');
  if (fs.existsSync(packed)) {
    for (const line of fs.readFileSync(packed, 'utf8').split('\n')) {
      const m = /^([0-9a-f]{40}) (refs\/\S+)$/.exec(line);
      if (m) refs.set(m[2]!, m[1]!);
    }
  }
  const walk = (dir: string, prefix: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      else {
        const value = fs.readFileSync(path.join(dir, entry.name), 'utf8').trim();
        if (OID.test(value)) refs.set(`${prefix}${entry.name}`, value);
      }
    }
  };
  walk(path.join(gitdir, 'refs', 'heads'), 'refs/heads/');
  const head = fs.existsSync(path.join(gitdir, 'HEAD')) ? fs.readFileSync(path.join(gitdir, 'HEAD'), 'utf8').trim() : '';
  const headRef = /^ref: (refs\/\S+)$/.exec(head)?.[1] ?? null;
  if (OID.test(head)) refs.set('HEAD', head);
  return { refs, headRef };
}

async function fromRepository(dir: string, branch: string | undefined): Promise<ImportSource> {
  const gitdir = gitdirOf(dir);
  if (fs.existsSync(path.join(gitdir, 'objects', 'info', 'alternates'))) {
    throw new AppError('invalid', `${dir} borrows objects from another repository (objects/info/alternates); run "git repack -a -d" in it first.`);
  }
  const { refs, headRef } = readRefs(gitdir);
  const ref = chooseBranch(refs, headRef, branch, dir);
  const head = refs.get(ref)!;
  const store = new RepoObjects(fs, gitdir);
  const reader = new ParsedReader(store);
  const { commits, edges } = await commitsToSend(reader, [head], [], new Set());
  const { objects } = await objectsToSend(reader, commits, edges);
  const chunks: Uint8Array[] = [];
  await packObjects(
    [...commits.map((oid) => ({ oid, type: 'commit' as const })), ...objects],
    { packs: await store.packs(), read: (oid) => store.read(oid) },
    { ofs: true, thinBases: null },
    async (c) => void chunks.push(c),
  );
  return { ref, head, pack: await Pack.index(Buffer.concat(chunks)), kind: 'repository' };
}

async function fromBundle(file: string, branch: string | undefined): Promise<ImportSource> {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.byteLength, 1 << 20)));
  const first = text.slice(0, text.indexOf('\n'));
  if (first !== '# v2 git bundle' && first !== '# v3 git bundle') throw new AppError('invalid', `${file} is neither a git repository nor a git bundle.`);
  const end = text.indexOf('\n\n');
  if (end === -1) throw new AppError('invalid', `${file}: the bundle header is incomplete.`);
  const refs = new Map<string, string>();
  let headRef: string | null = null;
  for (const line of text.slice(first.length + 1, end).split('\n')) {
    if (line.startsWith('@')) {
      if (line.startsWith('@filter')) throw new AppError('invalid', `${file} is a filtered (partial) bundle; make a complete one.`);
      if (line.startsWith('@object-format=') && line !== '@object-format=sha1') throw new AppError('invalid', `${file} uses ${line.slice(15)} object ids; only sha1 repositories can be imported.`);
      continue;
    }
    if (line.startsWith('-')) throw new AppError('invalid', `${file} is an incremental bundle (it needs commit ${line.slice(1, 41)}); make a complete one: git bundle create wiki.bundle --all`);
    const m = /^([0-9a-f]{40}) (\S+)$/.exec(line);
    if (!m) throw new AppError('invalid', `${file}: unreadable bundle header line ${JSON.stringify(line.slice(0, 80))}`);
    refs.set(m[2]!, m[1]!);
  }
  // A bundle's HEAD is an id, not a name: it names the branch that points at the same commit.
  const headOid = refs.get('HEAD');
  if (headOid) headRef = [...refs].find(([r, oid]) => r.startsWith('refs/heads/') && oid === headOid)?.[0] ?? null;
  const ref = chooseBranch(refs, headRef, branch, file);
  let pack: Pack;
  try {
    pack = await Pack.index(bytes.subarray(end + 2));
  } catch (err) {
    throw new AppError('invalid', `${file}: the bundle's pack is damaged: ${(err as Error).message}`);
  }
  return { ref, head: refs.get(ref)!, pack, kind: 'bundle' };
}

/** Reads `source` (a repository directory or a bundle file). */
export async function readImportSource(source: string, options: { branch?: string } = {}): Promise<ImportSource> {
  if (!fs.existsSync(source)) throw new AppError('not_found', `${source} does not exist.`);
  return fs.statSync(source).isDirectory() ? fromRepository(source, options.branch) : fromBundle(source, options.branch);
}
