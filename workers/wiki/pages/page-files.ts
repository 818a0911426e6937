/**
 * Page keys ↔ file paths in the wiki's git tree (wiki-reference §4): a page is
 * `<key>.md`; older robot.wtf files may still use real spaces where the key has
 * `_`, and reads fall back to them. Pure functions, no I/O.
 */
import { normalizePageName } from './page-name.ts';

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
 * a page: not a `.md` file, or a name no page key maps to (for example a
 * hidden file, a reserved top-level name, or a mix of spaces and underscores
 * that neither the underscore nor the legacy-space form reproduces).
 *
 * @example pageKeyFromFilePath('Actors/Iran Strategy.md') // 'Actors/Iran_Strategy'
 * @example pageKeyFromFilePath('Actors/Iran_Strategy/map.png') // null
 */
export function pageKeyFromFilePath(path: string): string | null {
  if (!path.endsWith(PAGE_EXTENSION)) return null;
  const result = normalizePageName(path);
  if (!result.ok) return null;
  const key = result.key;
  return pageFilePath(key) === path || legacySpaceFilePath(key) === path ? key : null;
}

/** Every file name page `key` may be stored under: its underscore name, and its legacy name with spaces when that differs. */
export function pageFileNames(key: string): string[] {
  return [...new Set([pageFilePath(key), legacySpaceFilePath(key)])];
}

/**
 * The file a page lives in: the underscore file if it exists, else the
 * legacy-space file if that exists, else the underscore file (where a new
 * page is created). Writes must use this too, so that a legacy page is updated
 * in place and never duplicated.
 *
 * @param key - a canonical page key
 * @param exists - whether a file exists at a path (e.g. a lookup in a tree listing)
 */
export function resolvePageFile(key: string, exists: (path: string) => boolean): string {
  const primary = pageFilePath(key);
  if (exists(primary)) return primary;
  const legacy = legacySpaceFilePath(key);
  if (legacy !== primary && exists(legacy)) return legacy;
  return primary;
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
