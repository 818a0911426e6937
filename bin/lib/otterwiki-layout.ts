/**
 * Upstream Otterwiki's default layout stores every page under a lowercased
 * file name (`nas setup.md` for "NAS Setup", `home.md`) and resolves links
 * case-insensitively; this wiki keeps names' case and resolves them exactly
 * (robot.wtf's layout: `NAS_Setup.md`). Importing such a repository rewrites
 * its history into this layout, commit by commit (authors, dates and messages
 * kept byte for byte): page files and folders get the name Otterwiki showed
 * (the page's first heading when it matches the name, else the name in title
 * case, spaces as `_`), attachments move with their page, and links whose
 * target differs only in case are rewritten to the page's new name.
 */
import { AppError } from '../../workers/lib/errors.ts';
import { commitsBetweenWith } from '../../workers/wiki/git/commits-between.ts';
import { fromHex, objectId, type ObjectType } from '../../workers/wiki/git/objects.ts';
import type { PackObject } from '../../workers/wiki/git-http/pack.ts';
import type { ParsedReader } from '../../workers/wiki/git-http/parsed-reader.ts';
import { rewritePageLinks } from '../../workers/wiki/pages/link-rewrite.ts';
import { pageKeyFromFilePath } from '../../workers/wiki/pages/page-files.ts';
import { normalizePageName } from '../../workers/wiki/pages/page-name.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * True for Otterwiki's lowercased layout: a root `home.md` (and no
 * `Home.md`), and most page files named in lower case. A file added by
 * other means (a `README.md`) does not make it robot.wtf's layout.
 */
export function isLowercaseLayout(paths: readonly string[]): boolean {
  const pages = paths.filter((p) => pageKeyFromFilePath(p) !== null);
  if (!pages.includes('home.md') || pages.includes('Home.md')) return false;
  return pages.filter((p) => p === p.toLowerCase()).length * 2 > pages.length;
}

/** Otterwiki's title case for all-lowercase names: the first letter of each word up (`don't stop` → `Don't Stop`). */
export function titleCase(name: string): string {
  return name.replace(/(^|\s)(\S)/gu, (_, space: string, first: string) => space + first.toUpperCase());
}

/** The first heading in the first 512 characters, as Otterwiki reads it for a page's display name. */
function firstHeading(text: string): string | null {
  const head = text.replace(/^---\r?\n[\s\S]*?\r?\n---\s*\r?\n/, '').slice(0, 512);
  const atx = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/m.exec(head);
  if (atx) return atx[1]!.trim();
  const setext = /^(.+)\r?\n(=+|-+)[ \t]*$/m.exec(head);
  return setext ? setext[1]!.trim() : null;
}

function sameName(a: string, b: string): boolean {
  const fold = (s: string) => s.replace(/[ _]+/g, ' ').trim().toLowerCase();
  return fold(a) === fold(b);
}

/** Git's tree order: by name bytes, a folder compared as if its name ended in `/`. */
function treeOrder(a: { name: string; tree: boolean }, b: { name: string; tree: boolean }): number {
  const x = Buffer.from(a.tree ? `${a.name}/` : a.name);
  const y = Buffer.from(b.tree ? `${b.name}/` : b.name);
  return Buffer.compare(x, y);
}

export interface Conversion {
  head: string;
  /** Objects made by the conversion (trees, commits, blobs whose links changed). */
  objects: Map<string, PackObject>;
  /** Old file path → new, for every page and folder renamed. */
  renamed: Map<string, string>;
  commits: number;
}

/** Rewrites the history ending at `head` from Otterwiki's lowercased layout into this wiki's. */
export async function convertLowercaseLayout(reader: ParsedReader, head: string): Promise<Conversion> {
  const history = await commitsBetweenWith(reader, null, head);
  // The newest content of every page file that ever existed, for its heading.
  const latest = new Map<string, string>();
  for (const c of history) for (const d of c.changed) if (d.newOid && pageKeyFromFilePath(d.path) !== null) latest.set(d.path, d.newOid);

  const pageSegment = new Map<string, string>(); // old page file path → new last segment (without .md)
  for (const [file, oid] of latest) {
    const stem = file.slice(file.lastIndexOf('/') + 1, -3);
    const heading = firstHeading(decoder.decode(await reader.blob(oid)));
    const shown = heading && sameName(heading, stem) ? heading : titleCase(stem.replaceAll('_', ' '));
    pageSegment.set(file, shown.trim().replace(/\s+/g, '_'));
  }
  const dirNames = new Map<string, string>();
  const newDir = (dir: string): string => {
    if (dir === '') return '';
    let known = dirNames.get(dir);
    if (known === undefined) {
      const slash = dir.lastIndexOf('/');
      const parent = slash === -1 ? '' : dir.slice(0, slash);
      const name = dir.slice(slash + 1);
      const own = pageSegment.get(`${dir}.md`) ?? titleCase(name.replaceAll('_', ' ')).replace(/\s+/g, '_');
      known = parent === '' ? own : `${newDir(parent)}/${own}`;
      dirNames.set(dir, known);
    }
    return known;
  };
  const renamed = new Map<string, string>();
  const newFile = (file: string): string => {
    const slash = file.lastIndexOf('/');
    const dir = slash === -1 ? '' : file.slice(0, slash);
    const name = file.slice(slash + 1);
    const seg = pageSegment.get(file);
    const out = `${dir === '' ? '' : `${newDir(dir)}/`}${seg !== undefined ? `${seg}.md` : name}`;
    if (out !== file) renamed.set(file, out);
    return out;
  };

  // Page keys by their lowercased old key, for links typed in any case.
  const keys = new Map<string, string>();
  for (const file of latest.keys()) keys.set(pageKeyFromFilePath(file)!.toLowerCase(), pageKeyFromFilePath(newFile(file))!);

  const objects = new Map<string, PackObject>();
  const store = (type: ObjectType, data: Uint8Array): string => {
    const oid = objectId(type, data);
    objects.set(oid, { type, data });
    return oid;
  };

  const blobs = new Map<string, string>();
  const convertPage = async (oid: string): Promise<string> => {
    let out = blobs.get(oid);
    if (out === undefined) {
      const text = decoder.decode(await reader.blob(oid));
      let next = text;
      for (const typed of linkTargets(text)) {
        const target = keys.get(typed.toLowerCase());
        // One blob may be several pages' text: `./` links, which depend on the page, are left as they are.
        if (target && target !== typed) next = rewritePageLinks(next, { from: typed, to: target }, {});
      }
      out = next === text ? oid : store('blob', encoder.encode(next));
      blobs.set(oid, out);
    }
    return out;
  };

  const trees = new Map<string, string>();
  const convertTree = async (oid: string, dir: string): Promise<string> => {
    const memo = `${oid} ${dir}`;
    const known = trees.get(memo);
    if (known) return known;
    const entries: { name: string; tree: boolean; mode: string; oid: string }[] = [];
    for (const e of await reader.tree(oid)) {
      const path = dir === '' ? e.path : `${dir}/${e.path}`;
      if (e.type === 'tree') {
        const name = newDir(path).slice(newDir(path).lastIndexOf('/') + 1);
        if (name !== e.path) renamed.set(`${path}/`, `${newDir(path)}/`);
        entries.push({ name, tree: true, mode: '40000', oid: await convertTree(e.oid, path) });
      } else {
        const isPage = e.type === 'blob' && pageKeyFromFilePath(path) !== null;
        const target = newFile(path);
        entries.push({ name: target.slice(target.lastIndexOf('/') + 1), tree: false, mode: e.mode, oid: isPage ? await convertPage(e.oid) : e.oid });
      }
    }
    entries.sort(treeOrder);
    for (let i = 1; i < entries.length; i++) {
      if (entries[i]!.name === entries[i - 1]!.name) throw new AppError('invalid', `Two files of "${dir || '/'}" would both be named "${entries[i]!.name}" in this wiki's layout; rename one in the source repository first.`);
    }
    const parts: Uint8Array[] = [];
    for (const e of entries) parts.push(encoder.encode(`${e.mode} ${e.name}\0`), fromHex(e.oid));
    const out = store('tree', Buffer.concat(parts));
    trees.set(memo, out);
    return out;
  };

  const commits = new Map<string, string>();
  for (const c of history) {
    const raw = decoder.decode((await reader.object(c.oid, 'commit')).data);
    const split = raw.indexOf('\n\n');
    const header = split === -1 ? raw : raw.slice(0, split);
    const rest = split === -1 ? '' : raw.slice(split);
    const lines: string[] = [];
    let skipping = false;
    for (const line of header.split('\n')) {
      if (line.startsWith(' ')) {
        if (!skipping) lines.push(line);
        continue;
      }
      skipping = /^(gpgsig|gpgsig-sha256|mergetag) /.test(line); // signatures cannot survive a rewrite
      if (skipping || line.startsWith('tree ') || line.startsWith('parent ')) continue;
      lines.push(line);
    }
    const commit = await reader.commit(c.oid);
    const tree = await convertTree(commit.tree, '');
    const parents = commit.parent.map((p) => commits.get(p) ?? p);
    const text = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`), ...lines].join('\n') + rest;
    commits.set(c.oid, store('commit', encoder.encode(text)));
  }
  return { head: commits.get(head)!, objects, renamed, commits: history.length };
}

/** Page keys as links in `text` name them: wikilinks (either side of `|`), and `/…` Markdown links with their folders. */
function linkTargets(text: string): Set<string> {
  const out = new Set<string>();
  const add = (target: string) => {
    let t = target.split('#')[0]!.trim().replace(/^\/+/, '');
    try {
      t = decodeURIComponent(t);
    } catch {
      // as typed
    }
    const r = normalizePageName(t);
    if (r.ok) out.add(r.key);
  };
  for (const m of text.matchAll(/\[\[([^[\]\n]+?)\]\]/g)) for (const side of m[1]!.split('|')) add(side);
  for (const m of text.matchAll(/\]\(<?(\/[^)\s>]*)/g)) {
    const segments = m[1]!.split('#')[0]!.split('/').filter(Boolean);
    for (let n = 1; n <= segments.length; n++) add(segments.slice(0, n).join('/'));
  }
  return out;
}
