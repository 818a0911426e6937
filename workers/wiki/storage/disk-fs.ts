/**
 * A promise `fs` for isomorphic-git over workerd's writable disk service (the
 * `DISK` binding). The disk service speaks HTTP: GET reads a file or lists a
 * directory (JSON), HEAD stats, PUT writes atomically creating parents, DELETE
 * removes (recursively for directories). It cannot make empty directories, so
 * mkdir succeeds without effect. Errors carry the `code` isomorphic-git checks.
 */

interface FsError extends Error {
  code: string;
}

function fsError(code: string, op: string, path: string): FsError {
  return Object.assign(new Error(`${code}: ${op} ${path}`), { code });
}

export interface DiskStats {
  type: 'file' | 'dir';
  mode: number;
  size: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
  uid: number;
  gid: number;
  dev: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

function stats(type: 'file' | 'dir', size: number, mtimeMs: number): DiskStats {
  return {
    type,
    mode: type === 'dir' ? 0o40755 : 0o100644,
    size,
    ino: 0,
    mtimeMs,
    ctimeMs: mtimeMs,
    uid: 1,
    gid: 1,
    dev: 1,
    isFile: () => type === 'file',
    isDirectory: () => type === 'dir',
    isSymbolicLink: () => false,
  };
}

function isDirectoryResponse(res: Response): boolean {
  return (res.headers.get('content-type') ?? '').startsWith('application/json');
}

/** The `{ promises }` object isomorphic-git takes as `fs`, rooted at the disk service's root. */
type DiskFs = { promises: Record<string, (...args: never[]) => Promise<unknown>> };

/** One fs per disk binding: it holds no state of its own, and making it is a tenth of a cached page view's work. */
const made = new WeakMap<Fetcher, DiskFs>();

export function diskFs(disk: Fetcher): DiskFs {
  let fs = made.get(disk);
  if (!fs) made.set(disk, (fs = makeDiskFs(disk)));
  return fs;
}

function makeDiskFs(disk: Fetcher): DiskFs {
  const url = (path: string): string => {
    if (!path.startsWith('/') || path.split('/').some((s) => s === '..' || s === '.')) throw fsError('EINVAL', 'path', path);
    return `http://disk${encodeURI(path)}`;
  };

  async function readFile(path?: string, options?: string | { encoding?: string }): Promise<Uint8Array | string> {
    // isomorphic-git calls readFile() with no path to detect a promise-based fs: reject, do not throw.
    if (typeof path !== 'string') throw fsError('EINVAL', 'readFile', String(path));
    const res = await disk.fetch(url(path));
    if (res.status === 404) throw fsError('ENOENT', 'readFile', path);
    if (!res.ok) throw fsError('EIO', `readFile (${res.status})`, path);
    if (isDirectoryResponse(res)) {
      await res.body?.cancel();
      throw fsError('EISDIR', 'readFile', path);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    const encoding = typeof options === 'string' ? options : options?.encoding;
    return encoding === 'utf8' ? new TextDecoder().decode(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async function writeFile(path: string, data: Uint8Array | string): Promise<void> {
    let res: Response;
    try {
      res = await disk.fetch(url(path), { method: 'PUT', body: typeof data === 'string' ? data : new Uint8Array(data) });
    } catch (err) {
      // The disk service throws (no status) when a parent is a file: "File exists".
      if (/File exists|os error 17/i.test(String(err))) throw fsError('ENOTDIR', 'writeFile', path);
      throw err;
    }
    await res.body?.cancel();
    if (!res.ok) throw fsError(res.status === 404 ? 'ENOENT' : 'EIO', `writeFile (${res.status})`, path);
  }

  async function stat(path: string): Promise<DiskStats> {
    const res = await disk.fetch(url(path), { method: 'HEAD' });
    if (res.status === 404) throw fsError('ENOENT', 'stat', path);
    if (!res.ok) throw fsError('EIO', `stat (${res.status})`, path);
    const mtime = Date.parse(res.headers.get('last-modified') ?? '') || 0;
    return isDirectoryResponse(res) ? stats('dir', 0, mtime) : stats('file', Number(res.headers.get('content-length') ?? 0), mtime);
  }

  async function readdir(path: string): Promise<string[]> {
    const res = await disk.fetch(url(path));
    if (res.status === 404) throw fsError('ENOENT', 'readdir', path);
    if (!res.ok) throw fsError('EIO', `readdir (${res.status})`, path);
    if (!isDirectoryResponse(res)) {
      await res.body?.cancel();
      throw fsError('ENOTDIR', 'readdir', path);
    }
    const entries = (await res.json()) as { name: string }[];
    return entries.map((e) => e.name);
  }

  async function remove(path: string, op: string): Promise<void> {
    const res = await disk.fetch(url(path), { method: 'DELETE' });
    await res.body?.cancel();
    if (res.status === 404) throw fsError('ENOENT', op, path);
    if (!res.ok) throw fsError('EIO', `${op} (${res.status})`, path);
  }

  return {
    promises: {
      readFile,
      writeFile,
      stat,
      lstat: stat,
      readdir,
      unlink: (path: string) => remove(path, 'unlink'),
      rmdir: (path: string) => remove(path, 'rmdir'),
      mkdir: async () => {},
      readlink: async (path: string) => {
        throw fsError('ENOSYS', 'readlink', path);
      },
      symlink: async (_target: string, path: string) => {
        throw fsError('ENOSYS', 'symlink', path);
      },
      chmod: async () => {},
    } as unknown as Record<string, (...args: never[]) => Promise<unknown>>,
  };
}
