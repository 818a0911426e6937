/**
 * Finding one section by a heading path such as `Setup > Install` or
 * `Setup/Install` (wiki-reference §7.3, extended). Titles compare
 * case-insensitively, with Unicode NFC and runs of whitespace made equal.
 *
 * Candidates, tried in order until one tier matches:
 * 1. the heading's path ends with the query (§7.3: the whole path, or its last
 *    segments joined with `" > "` or `/`); a single title therefore matches
 *    every heading with that title. When several match and exactly one of them
 *    matches from the top (its whole path), that one is chosen;
 * 2. the query's segments in order, each a descendant (not only a child) of
 *    the one before: `Setup/Linux` finds `Setup > Install > Linux`.
 * Several candidates in the chosen tier, or none at all, is an error that lists
 * what to use instead. Because titles themselves may contain `/` or `>`, the
 * query is matched against the titles rather than split up front.
 */
import { EditError } from './edit-error.ts';
import { formatSectionPath, parseSections, type Section } from './sections.ts';

/** The most paths an error message lists. */
const MAX_LISTED = 100;

type Mode = 'full' | 'suffix' | 'descendant';

/** The form heading titles and path queries are compared in: NFC, single spaces, trimmed, lowercase. */
export function normalizeTitle(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

const SEPARATOR = /\s*[>/]\s*$/;

/** Whether `query` names `titles[index]` with ancestors taken from `titles[0..index)` per `mode`. */
function matches(query: string, titles: readonly string[], index: number, mode: Mode): boolean {
  const title = titles[index];
  if (title === undefined || title === '' || !query.endsWith(title)) return false;
  const rest = query.slice(0, query.length - title.length);
  if (rest === '') return mode !== 'full' || index === 0;
  const separator = SEPARATOR.exec(rest);
  if (!separator) return false;
  const head = rest.slice(0, separator.index);
  if (head === '') return false;
  if (mode !== 'descendant') return matches(head, titles, index - 1, mode);
  for (let k = index - 1; k >= 0; k--) if (matches(head, titles, k, mode)) return true;
  return false;
}

function listed(paths: readonly string[]): string {
  const shown = paths.slice(0, MAX_LISTED).map((p) => `  - ${p}`);
  if (paths.length > MAX_LISTED) shown.push(`  … and ${paths.length - MAX_LISTED} more`);
  return shown.join('\n');
}

function notFound(query: string, sections: readonly Section[]): EditError {
  if (sections.length === 0) {
    return new EditError(
      'not_found',
      'section_not_found',
      `Section not found: '${query}'. This page has no sections (no '#' headings outside code blocks). ` +
        'Edit the whole page instead, or add a heading first.',
      { query, available: [] },
    );
  }
  const available = sections.filter((s) => s.title !== '').map((s) => formatSectionPath(s.path));
  return new EditError(
    'not_found',
    'section_not_found',
    `Section not found: '${query}'. Available sections:\n${listed(available)}\n` +
      "Use one of these paths (titles separated by ' > ' or '/', letter case ignored), or just the last title if it is unique.",
    { query, available },
  );
}

function ambiguous(query: string, candidates: readonly Section[]): EditError {
  const paths = candidates.map((s) => formatSectionPath(s.path));
  const lines = candidates.map((s, i) => `${paths[i]} (line ${s.line})`);
  const samePath = new Set(paths.map(normalizeTitle)).size < paths.length;
  const advice = samePath
    ? 'Some of these headings have the same path, so no path can tell them apart: rename one of them, ' +
      'or edit the text with a unique find-and-replace (old_string/new_string) instead.'
    : `Give more of the path to pick one, for example '${paths[0]}'.`;
  return new EditError(
    'invalid',
    'section_ambiguous',
    `Section '${query}' is ambiguous: it matches ${candidates.length} sections:\n${listed(lines)}\n${advice}`,
    { query, candidates: paths, lines: candidates.map((s) => s.line) },
  );
}

/**
 * The one section of `sections` (from {@link parseSections}) that `path` names.
 *
 * @throws EditError `invalid`/`empty_section_path` for an empty path,
 *   `not_found`/`section_not_found` (listing every section) when nothing
 *   matches, `invalid`/`section_ambiguous` (listing the candidates) when
 *   several do
 */
export function selectSection(sections: readonly Section[], path: string): Section {
  const query = normalizeTitle(path);
  if (query === '') {
    throw new EditError('invalid', 'empty_section_path', 'The section path is empty. Give a heading title such as \'Setup\', or a path such as \'Setup > Install\'.');
  }
  const titled = sections.map((s) => ({ section: s, titles: s.path.map(normalizeTitle) }));
  const pick = (mode: Mode): Section[] =>
    titled.filter((t) => matches(query, t.titles, t.titles.length - 1, mode)).map((t) => t.section);

  const suffix = pick('suffix');
  if (suffix.length === 1) return suffix[0]!;
  if (suffix.length > 1) {
    const full = pick('full');
    if (full.length === 1) return full[0]!;
    throw ambiguous(path.trim(), suffix);
  }
  const descendant = pick('descendant');
  if (descendant.length === 1) return descendant[0]!;
  if (descendant.length > 1) throw ambiguous(path.trim(), descendant);
  throw notFound(path.trim(), sections);
}

/**
 * The one section of the page `text` that `path` names (see the module notes
 * for the matching rules).
 *
 * @example findSection('# Setup\n## Install\nrun it\n', 'setup/install').line // 2
 * @throws EditError as {@link selectSection}
 */
export function findSection(text: string, path: string): Section {
  return selectSection(parseSections(text), path);
}
