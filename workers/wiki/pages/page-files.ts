/**
 * Page keys ↔ file paths in the wiki's git tree (wiki-reference §4): a page is
 * `<key>.md`; older robot.wtf files may still use real spaces where the key has
 * `_` (or a mix, or decomposed Unicode), and a page is found in those too.
 * Pure functions, no I/O (index/page-files-at.ts searches a tree).
 */
import { normalizePageName, segmentKey } from './page-name.ts';

/** The extension every page file has (lowercase only, as with retain-case Otterwiki). */
export const PAGE_EXTENSION = '.md';

/**
 * The file of a page in underscore form, the form new pages are created in.
 * `key` must be canonical (see `normalizePageName`).
 *
 * @example pageFilePath('Actors/Iran_Strategy') // 'Actors/Iran_Strategy.md'
 */
export function pageFilePath(key: string): string {
  return `${key}${PAGE_EXTENSION}`;
}

/**
 * The legacy file name of a page, with every `_` of the key turned back into
 * a space (older robot.wtf files, written before spaces became underscores).
 *
 * @example legacySpaceFilePath('Actors/Iran_Strategy') // 'Actors/Iran Strategy.md'
 */
export function legacySpaceFilePath(key: string): string {
  return `${key.replaceAll('_', ' ')}${PAGE_EXTENSION}`;
}

/**
 * The page key a file in the tree stands for, or `null` when the file is not
 * a page: not a `.md` file, or a name no page key comes from (a hidden file,
 * a reserved top-level name). Every name that normalises to a key stands for
 * it, as a page name typed that way would: the underscore name, the legacy
 * name with spaces, and names made by hand or by other git clients that mix
 * spaces and underscores, pad a name with spaces or use decomposed Unicode.
 *
 * @example pageKeyFromFilePath('Actors/Iran Strategy.md') // 'Actors/Iran_Strategy'
 * @example pageKeyFromFilePath('My Page_v2.md') // 'My_Page_v2'
 * @example pageKeyFromFilePath('Actors/Iran_Strategy/map.png') // null
 */
export function pageKeyFromFilePath(path: string): string | null {
  if (!path.endsWith(PAGE_EXTENSION)) return null;
  const result = normalizePageName(path);
  if (!result.ok) return null;
  // Folder by folder, so that an empty name (`Docs/.md`) does not pass for its folder.
  const segmentwise = path.slice(0, -PAGE_EXTENSION.length).split('/').map(segmentKey).join('/');
  return segmentwise === result.key ? result.key : null;
}

/** The two file names page `key` is usually stored under: its underscore name, and its legacy name with spaces when that differs. */
export function pageFileNames(key: string): string[] {
  return [...new Set([pageFilePath(key), legacySpaceFilePath(key)])];
}

/**
 * Of the files in `paths` that stand for page `key`, the one that is the
 * page when there are several: the underscore file, else the legacy file
 * with spaces, else the first other name in code-unit order. Null when none
 * stands for it.
 */
export function bestPageFile(key: string, paths: Iterable<string>): string | null {
  const [primary, legacy = primary] = pageFileNames(key);
  let best: string | null = null;
  let bestRank = 3;
  for (const path of paths) {
    const rank = path === primary ? 0 : path === legacy ? 1 : pageKeyFromFilePath(path) === key ? 2 : 3;
    if (rank < bestRank || (rank === 2 && bestRank === 2 && path < best!)) {
      best = path;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * The title shown for a page when its frontmatter gives none: the last
 * segment of the key with `_` shown as spaces.
 *
 * @example displayTitle('Actors/Iran_Strategy') // 'Iran Strategy'
 */
export function displayTitle(key: string): string {
  const last = key.slice(key.lastIndexOf('/') + 1);
  return last.replaceAll('_', ' ');
}
