/**
 * Validation of file paths inside a git tree: what real git (`fsck --strict`,
 * checkout on Linux, macOS and Windows) accepts. Pure function.
 */
import { AppError } from '../../lib/errors.ts';

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// Characters HFS+ ignores when comparing names (git's is_hfs_dotgit).
const HFS_IGNORED = /[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g;

function isDotGit(segment: string): boolean {
  const folded = segment.replace(HFS_IGNORED, '').toLowerCase();
  const trimmed = folded.replace(/[. ]+$/, ''); // NTFS drops trailing dots and spaces
  return trimmed === '.git' || trimmed === 'git~1' || folded.startsWith('.git:');
}

/**
 * Splits a tree path (`Folder/Page.md`) into its names, or throws an
 * `invalid` AppError naming the problem: empty, leading/trailing or doubled
 * `/`, `.`/`..`, any spelling of `.git`, NUL, or unpaired surrogates.
 */
export function splitGitPath(path: string): string[] {
  if (typeof path !== 'string' || path === '') throw new AppError('invalid', 'A file path is empty.');
  if (path.includes('\0')) throw new AppError('invalid', `The file path ${JSON.stringify(path)} contains a NUL character.`);
  if (LONE_SURROGATE.test(path)) throw new AppError('invalid', 'A file path is not valid Unicode.');
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') throw new AppError('invalid', `The file path ${JSON.stringify(path)} has an empty folder name.`);
    if (segment === '.' || segment === '..') {
      throw new AppError('invalid', `The file path ${JSON.stringify(path)} contains "${segment}".`);
    }
    if (isDotGit(segment)) throw new AppError('invalid', `The file path ${JSON.stringify(path)} names git's own folder.`);
  }
  return segments;
}
