/**
 * `wiki import`: a new wiki from an existing robot.wtf or Otterwiki
 * repository (a directory or a git bundle), with its whole history. The
 * history goes in exactly as a push into a new wiki does (the same checks:
 * no links, submodules or unsafe names, size limits, quota; the same head
 * compare-and-swap and index batch), so pages, attachments, links, history
 * and search are all there when it returns.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../workers/lib/db.ts';
import type { Actor } from '../../workers/lib/directory/audit.ts';
import { findUser } from '../../workers/lib/directory/users.ts';
import { createWiki, getWikiBySlug, type Wiki } from '../../workers/lib/directory/wikis.ts';
import type { Visibility } from '../../db/schema.ts';
import { AppError } from '../../workers/lib/errors.ts';
import { ObjectReader } from '../../workers/wiki/git/object-reader.ts';
import { RepoObjects } from '../../workers/wiki/git-http/object-store.ts';
import { packObjects } from '../../workers/wiki/git-http/pack-objects.ts';
import { Pack } from '../../workers/wiki/git-http/pack.ts';
import { overlay, ParsedReader } from '../../workers/wiki/git-http/parsed-reader.ts';
import { importHistory } from '../../workers/wiki/git-http/receive-pack.ts';
import { commitsToSend, objectsToSend } from '../../workers/wiki/git-http/walk.ts';
import { DEFAULT_PUSH_LIMITS, PushChecker } from '../../workers/wiki/git-http/push-rules.ts';
import { commitsBetweenWith } from '../../workers/wiki/git/commits-between.ts';
import { dataPaths } from './data-dir.ts';
import { readImportSource } from './import-source.ts';
import { convertLowercaseLayout, isLowercaseLayout } from './otterwiki-layout.ts';

export type Layout = 'auto' | 'robot' | 'otterwiki';

export interface ImportOptions {
  slug: string;
  source: string;
  /** Needed when the wiki does not exist yet. */
  owner?: string;
  title?: string;
  visibility?: Visibility;
  gitAccess?: boolean;
  branch?: string;
  layout?: Layout;
  apex: string;
  dataDir: string;
  actor: Actor;
}

export interface ImportResult {
  wiki: Wiki;
  created: boolean;
  commits: number;
  layout: 'robot' | 'otterwiki';
  renamed: number;
  ref: string;
}

async function allPaths(reader: ParsedReader, tree: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await reader.tree(tree)) {
    if (e.type === 'tree') out.push(...(await allPaths(reader, e.oid, `${prefix}${e.path}/`)));
    else out.push(`${prefix}${e.path}`);
  }
  return out;
}

/** A pack of everything `head` reaches, from `pack` and the objects made in memory. */
async function packOf(head: string, pack: Pack, made: Map<string, { type: 'commit' | 'tree' | 'blob' | 'tag'; data: Uint8Array }>): Promise<Pack> {
  const source = overlay({ read: async (oid) => made.get(oid) ?? null }, { read: (oid) => pack.read(oid) });
  const reader = new ParsedReader(source);
  const { commits, edges } = await commitsToSend(reader, [head], [], new Set());
  const { objects } = await objectsToSend(reader, commits, edges);
  const chunks: Uint8Array[] = [];
  await packObjects([...commits.map((oid) => ({ oid, type: 'commit' as const })), ...objects], { packs: [pack], read: (oid) => source.read(oid) }, { ofs: true, thinBases: null }, async (c) => void chunks.push(c));
  return Pack.index(Buffer.concat(chunks));
}

export async function importWiki(db: Db, options: ImportOptions): Promise<ImportResult> {
  const source = await readImportSource(options.source, options.branch ? { branch: options.branch } : {});
  const reader = new ParsedReader({ read: (oid) => source.pack.read(oid) });
  const headCommit = await reader.commit(source.head).catch(() => {
    throw new AppError('invalid', `${options.source}: ${source.ref} does not point at a commit.`);
  });
  let layout = options.layout ?? 'auto';
  if (layout === 'auto') layout = isLowercaseLayout(await allPaths(reader, headCommit.tree)) ? 'otterwiki' : 'robot';
  let head = source.head;
  let pack = source.pack;
  let renamed = 0;
  if (layout === 'otterwiki') {
    const converted = await convertLowercaseLayout(reader, source.head);
    head = converted.head;
    renamed = converted.renamed.size;
    pack = await packOf(head, source.pack, converted.objects);
  }

  // Check the history before anything is made, so a refused import leaves nothing behind.
  const checked = new ParsedReader({ read: (oid) => pack.read(oid) });
  const checker = new PushChecker(checked, DEFAULT_PUSH_LIMITS, async (oid) => {
    const index = pack.byOid.get(oid);
    return index === undefined ? null : (pack.sizes[index] ?? (await pack.readEntry(index)).data.byteLength);
  });
  await commitsBetweenWith(checked, null, head, (c) => checker.check(c));
  const problems = checker.problems;
  if (problems.length) throw new AppError('invalid', ['The repository cannot be imported; nothing was made:', ...problems.map((p) => `  ${p}`)].join('\n'));

  let wiki = await getWikiBySlug(db, options.slug);
  let created = false;
  if (!wiki) {
    if (!options.owner) throw new AppError('invalid', `There is no wiki "${options.slug}" yet: give --owner to create it.`);
    const owner = await findUser(db, options.owner);
    wiki = await createWiki(
      db,
      {
        slug: options.slug,
        ownerDid: owner.did,
        ...(options.title !== undefined ? { title: options.title } : {}),
        ...(options.visibility !== undefined ? { visibility: options.visibility } : {}),
        ...(options.gitAccess !== undefined ? { gitAccess: options.gitAccess } : {}),
      },
      options.actor,
    );
    created = true;
  }
  const gitdir = path.join(dataPaths(options.dataDir).git, `${wiki.id}.git`);
  fs.mkdirSync(path.dirname(gitdir), { recursive: true });
  const repo = { wiki, db, fs, gitdir, reader: new ObjectReader(fs, gitdir) };
  const { commits } = await importHistory(
    { repo, apex: options.apex, store: new RepoObjects(fs, gitdir), limits: DEFAULT_PUSH_LIMITS, identity: null },
    head,
    pack,
  );
  return { wiki, created, commits, layout, renamed, ref: source.ref };
}
