/**
 * In-memory edits of a commit's tree: put and remove files by path, loading
 * only the trees on the edited paths, then write back only the trees that
 * changed. Folders left empty disappear; isomorphic-git's `writeTree` orders
 * entries the way git requires (folders sort as if named `name/`).
 */
import type { TreeEntry } from 'isomorphic-git';
import { AppError } from '../../lib/errors.ts';
import type { ObjectReader } from './object-reader.ts';

interface Dir {
  /** The tree this folder had before editing; `null` for a new folder. */
  readonly oid: string | null;
  /** Loaded entries; `null` until first needed. */
  entries: Map<string, Slot> | null;
  dirty: boolean;
}

type Slot = { kind: 'leaf'; entry: TreeEntry } | { kind: 'dir'; dir: Dir };

const FILE_MODE = '100644';
const EXECUTABLE_MODE = '100755';
const TREE_MODE = '040000';

/** Writes a tree object and returns its id. */
export type TreeWriter = (entries: TreeEntry[]) => Promise<string>;

/** Edits one tree; make one per commit. */
export class TreeEditor {
  readonly #reader: ObjectReader;
  readonly #root: Dir;

  /**
   * @param reader - reads the trees of the repository
   * @param root - the tree to start from, `null` for an empty tree
   */
  constructor(reader: ObjectReader, root: string | null) {
    this.#reader = reader;
    this.#root = { oid: root, entries: root === null ? new Map() : null, dirty: false };
  }

  async #load(dir: Dir): Promise<Map<string, Slot>> {
    if (dir.entries) return dir.entries;
    const entries = new Map<string, Slot>();
    for (const entry of await this.#reader.tree(dir.oid ?? '')) {
      entries.set(entry.path, entry.type === 'tree'
        ? { kind: 'dir', dir: { oid: entry.oid, entries: null, dirty: false } }
        : { kind: 'leaf', entry });
    }
    dir.entries = entries;
    return entries;
  }

  /**
   * Puts blob `oid` at the path `segments` (creating folders). An existing
   * executable file stays executable; anything else becomes `100644`.
   * Throws `conflict` when a folder sits at the path or a file sits where a
   * folder is needed.
   */
  async put(segments: readonly string[], oid: string): Promise<void> {
    let dir = this.#root;
    const walked: Dir[] = [dir];
    for (let i = 0; i < segments.length - 1; i++) {
      const name = segments[i] ?? '';
      const entries = await this.#load(dir);
      let slot = entries.get(name);
      if (!slot) {
        slot = { kind: 'dir', dir: { oid: null, entries: new Map(), dirty: true } };
        entries.set(name, slot);
      } else if (slot.kind === 'leaf') {
        throw new AppError('conflict', `Cannot write ${segments.join('/')}: ${segments.slice(0, i + 1).join('/')} is a file, not a folder.`);
      }
      dir = slot.dir;
      walked.push(dir);
    }
    const name = segments[segments.length - 1] ?? '';
    const entries = await this.#load(dir);
    const existing = entries.get(name);
    if (existing?.kind === 'dir') {
      throw new AppError('conflict', `Cannot write ${segments.join('/')}: a folder of that name exists.`);
    }
    const mode = existing?.entry.mode === EXECUTABLE_MODE ? EXECUTABLE_MODE : FILE_MODE;
    entries.set(name, { kind: 'leaf', entry: { mode, path: name, oid, type: 'blob' } });
    for (const d of walked) d.dirty = true;
  }

  /**
   * Removes the file at `segments`; with `recursive`, a folder there too.
   * Removing what does not exist does nothing. Throws `invalid` for a folder
   * without `recursive`.
   */
  async remove(segments: readonly string[], recursive: boolean): Promise<void> {
    let dir = this.#root;
    const walked: Dir[] = [dir];
    for (let i = 0; i < segments.length - 1; i++) {
      const slot = (await this.#load(dir)).get(segments[i] ?? '');
      if (slot?.kind !== 'dir') return;
      dir = slot.dir;
      walked.push(dir);
    }
    const name = segments[segments.length - 1] ?? '';
    const entries = await this.#load(dir);
    const existing = entries.get(name);
    if (!existing) return;
    if (existing.kind === 'dir' && !recursive) {
      throw new AppError('invalid', `${segments.join('/')} is a folder; delete it with recursive: true.`);
    }
    entries.delete(name);
    for (const d of walked) d.dirty = true;
  }

  async #write(dir: Dir, writeTree: TreeWriter): Promise<string | null> {
    if (!dir.dirty || !dir.entries) return dir.oid;
    const out: TreeEntry[] = [];
    for (const [name, slot] of dir.entries) {
      if (slot.kind === 'leaf') {
        out.push(slot.entry);
        continue;
      }
      const oid = await this.#write(slot.dir, writeTree);
      if (oid !== null) out.push({ mode: TREE_MODE, path: name, oid, type: 'tree' });
    }
    if (out.length === 0) return null;
    const oid = await writeTree(out);
    this.#reader.remember(oid, out);
    return oid;
  }

  /**
   * Writes every changed tree, deepest first, and returns the root tree id
   * (the empty tree when nothing is left), or the unchanged root when no edit
   * touched anything.
   */
  async write(writeTree: TreeWriter): Promise<string> {
    const root = await this.#write(this.#root, writeTree);
    return root ?? writeTree([]);
  }
}
