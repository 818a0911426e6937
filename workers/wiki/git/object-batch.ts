/**
 * The new objects of one commit, hashed and compressed in memory as they are
 * made, then stored together: one write per object, all at once, with no
 * existence probe first (a loose object's name is its content's hash, so
 * storing one that is already there rewrites the same content). This is what
 * makes a save cost one disk round trip instead of two per object, serially.
 */
import type { GitFs } from './git-fs.ts';
import { looseObject, loosePath, objectId, type ObjectType } from './objects.ts';

interface PromiseFs {
  writeFile(path: string, data: Uint8Array): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<unknown>;
  stat(path: string): Promise<unknown>;
}

export class ObjectBatch {
  readonly #files = new Map<string, Uint8Array>();

  /** Adds an object and returns its id (adding the same object twice stores it once). */
  add(type: ObjectType, data: Uint8Array): string {
    const oid = objectId(type, data);
    if (!this.#files.has(oid)) this.#files.set(oid, looseObject(type, data));
    return oid;
  }

  get size(): number {
    return this.#files.size;
  }

  /** Writes every object; resolves once all are on disk. */
  async store(fs: GitFs, gitdir: string): Promise<void> {
    const files = fs.promises as unknown as PromiseFs;
    await Promise.all(
      [...this.#files].map(async ([oid, bytes]) => {
        const path = loosePath(gitdir, oid);
        // A no-op on the disk service (PUT creates parents); Node's fs needs the fan-out folder.
        await files.mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true });
        try {
          await files.writeFile(path, bytes);
        } catch (err) {
          // Git stores loose objects read-only; one that is already there is the same object.
          const code = (err as { code?: unknown } | null)?.code;
          if ((code === 'EACCES' || code === 'EPERM') && (await files.stat(path).then(() => true, () => false))) return;
          throw err;
        }
      }),
    );
  }
}
