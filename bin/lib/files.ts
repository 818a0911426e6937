/** Files that appear whole or not at all. */
import fs from 'node:fs';

/**
 * Writes `content` beside `file`, then moves it into place. `exclusive`: hard-
 * link instead of rename, which fails with EEXIST when `file` exists, so two
 * writers never overwrite each other. A crash leaves at most a stray `.tmp`.
 */
export function writeFileWhole(file: string, content: string, options: { exclusive?: boolean; mode?: number } = {}): void {
  const aside = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(aside, content, { mode: options.mode ?? 0o644 });
  try {
    if (options.exclusive) fs.linkSync(aside, file);
    else fs.renameSync(aside, file);
  } finally {
    fs.rmSync(aside, { force: true });
  }
}
