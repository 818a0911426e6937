/**
 * The objects of one bare repository as the git protocol reads and writes
 * them: loose objects and packs (with their `.idx`), over the same promise fs
 * isomorphic-git uses (workerd's disk service, or Node's fs in the admin CLI).
 * Packs are loaded whole, once per instance: make one per request.
 */
import { BoundedCache } from '../../lib/bounded-cache.ts';
import type { GitFs } from '../git/git-fs.ts';
import { looseObject, loosePath, objectId, parseLoose, inflate, type ObjectType } from '../git/objects.ts';
import { OBJECT_CACHE_BYTES, Pack, type PackObject } from './pack.ts';

interface Fs {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<unknown>;
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Opened packs, by path. A pack's name is its checksum and packs are never
 * rewritten, so one opened in an earlier request is still right; it saves
 * reading and parsing the pack and its index on every git request.
 */
const PACKS = new BoundedCache<Pack>({ maxEntries: 64, maxSize: 256 * 1024 * 1024 });

/** Where an object is stored. */
export type Location = { kind: 'pack'; pack: Pack; index: number } | { kind: 'loose' };

export class RepoObjects {
  readonly #fs: Fs;
  readonly gitdir: string;
  readonly #looseFirst: boolean;
  #packs: Promise<Pack[]> | undefined;

  /**
   * @param options.looseFirst - look for loose objects before opening packs:
   *   right for a push, which reads a few recent objects (usually loose); a
   *   clone reads many, mostly packed, and looks in packs first.
   */
  constructor(fs: GitFs, gitdir: string, options: { looseFirst?: boolean } = {}) {
    this.#fs = fs.promises as unknown as Fs;
    this.gitdir = gitdir;
    this.#looseFirst = options.looseFirst ?? false;
  }

  /** Every pack of the repository (read once per instance). */
  packs(): Promise<Pack[]> {
    this.#packs ??= this.#loadPacks();
    return this.#packs;
  }

  async #loadPacks(): Promise<Pack[]> {
    const dir = `${this.gitdir}/objects/pack`;
    let names: string[];
    try {
      names = await this.#fs.readdir(dir);
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    const idxs = names.filter((n) => /^pack-[0-9a-f]{40}\.idx$/.test(n));
    return Promise.all(
      idxs.map(async (name) => {
        const key = `${dir}/${name}`;
        const known = PACKS.get(key);
        if (known) return known;
        const [idx, pack] = await Promise.all([this.#fs.readFile(`${dir}/${name}`), this.#fs.readFile(`${dir}/${name.replace(/\.idx$/, '.pack')}`)]);
        const opened = Pack.open(new Uint8Array(pack.buffer, pack.byteOffset, pack.byteLength), new Uint8Array(idx.buffer, idx.byteOffset, idx.byteLength));
        // The pack, its parsed index (ids and offsets take about three times the index) and its object cache.
        PACKS.set(key, opened, pack.byteLength + idx.byteLength * 3 + OBJECT_CACHE_BYTES);
        return opened;
      }),
    );
  }

  #loosePath(oid: string): string {
    return loosePath(this.gitdir, oid);
  }

  async #readLoose(oid: string): Promise<PackObject | null> {
    let raw: Uint8Array;
    try {
      raw = await this.#fs.readFile(this.#loosePath(oid));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    return parseLoose(inflate(raw));
  }

  async #inPacks(oid: string): Promise<{ pack: Pack; index: number } | null> {
    for (const pack of await this.packs()) {
      const index = pack.byOid.get(oid);
      if (index !== undefined) return { pack, index };
    }
    return null;
  }

  async #looseExists(oid: string): Promise<boolean> {
    try {
      await this.#fs.readFile(this.#loosePath(oid));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  /** Where `oid` is stored. */
  async locate(oid: string): Promise<Location | null> {
    if (this.#looseFirst && (await this.#looseExists(oid))) return { kind: 'loose' };
    const packed = await this.#inPacks(oid);
    if (packed) return { kind: 'pack', ...packed };
    return !this.#looseFirst && (await this.#looseExists(oid)) ? { kind: 'loose' } : null;
  }

  /** The object `oid`, or null when the repository lacks it. */
  async read(oid: string): Promise<PackObject | null> {
    if (this.#looseFirst) {
      const loose = await this.#readLoose(oid);
      if (loose) return loose;
    }
    const packed = await this.#inPacks(oid);
    if (packed) return packed.pack.readEntry(packed.index, (base) => this.read(base));
    return this.#looseFirst ? null : this.#readLoose(oid);
  }

  async has(oid: string): Promise<boolean> {
    return (await this.locate(oid)) !== null;
  }

  /** Stores one object as a loose file; returns its id. */
  async writeLoose(type: ObjectType, data: Uint8Array): Promise<string> {
    const oid = objectId(type, data);
    const path = this.#loosePath(oid);
    await this.#fs.mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true });
    await this.#fs.writeFile(path, looseObject(type, data));
    return oid;
  }

  /** Stores a whole pack and its index (the index last, so no reader sees an index without its pack). */
  async writePack(pack: Pack): Promise<void> {
    const dir = `${this.gitdir}/objects/pack`;
    await this.#fs.mkdir(dir, { recursive: true });
    await this.#fs.writeFile(`${dir}/pack-${pack.checksum}.pack`, pack.bytes);
    await this.#fs.writeFile(`${dir}/pack-${pack.checksum}.idx`, pack.idx());
    this.#packs = undefined;
  }
}
