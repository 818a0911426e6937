/**
 * The branch ref on disk mirrors the head row in sqld (which is what every
 * reader and writer here goes by), for native git: backups, `git gc`,
 * forensic work. Mirroring can follow the answer to the writer: a ref
 * written a moment later misleads nobody.
 *
 * One mirror write per repository is in flight at a time, and it always
 * writes the newest head this isolate has committed, so writes that finish
 * close together can never leave an older head on disk. A write that finds
 * one in flight only records its head; the write in flight writes it next.
 */
import { updateBranch } from './refs.ts';
import type { GitFs } from './git-fs.ts';

interface Mirror {
  /** The newest head to write. */
  wanted: string;
  /** The write in flight, if any. */
  running: Promise<void> | null;
}

const mirrors = new Map<string, Mirror>();

/**
 * Mirrors `head` to `refs/heads/main` of `gitdir`. The returned promise
 * settles when this head (or a newer one) is on disk, or at once when a
 * mirror write already in flight will write it.
 */
export function mirrorBranch(fs: GitFs, gitdir: string, head: string): Promise<void> {
  const known = mirrors.get(gitdir);
  if (known?.running) {
    known.wanted = head;
    return Promise.resolve();
  }
  const mirror: Mirror = known ?? { wanted: head, running: null };
  mirror.wanted = head;
  mirrors.set(gitdir, mirror);
  mirror.running = (async () => {
    try {
      let written: string | null = null;
      while (written !== mirror.wanted) {
        written = mirror.wanted;
        await updateBranch(fs, gitdir, written);
      }
    } finally {
      mirror.running = null;
      mirrors.delete(gitdir);
    }
  })();
  return mirror.running;
}

/**
 * Resolves once no mirror write is in flight for `gitdir` (before removing a
 * repository, so a late ref write cannot recreate its folder). Polls with
 * its own timer rather than awaiting another request's promise (see
 * storage/writer-lock.ts).
 */
export async function mirrorIdle(gitdir: string): Promise<void> {
  while (mirrors.get(gitdir)?.running) await new Promise((resolve) => setTimeout(resolve, 2));
}
