/**
 * Page names → canonical page keys (wiki-reference §4, "Product rule"): the
 * key is the on-disk path without `.md`, with `_` for spaces, case-sensitive,
 * `/` making folders. Pure functions, no I/O.
 */
import { PageNameError } from './page-name-error.ts';

/** Longest folder or page name, in characters (Unicode code points). */
export const MAX_SEGMENT_CHARS = 200;
/** Longest folder or page name in UTF-8 bytes, so `<name>.md` fits a 255-byte file name. */
export const MAX_SEGMENT_BYTES = 251;
/** Longest page key, in characters. */
export const MAX_KEY_CHARS = 512;
/** Most folder levels in a key, the page itself included. */
export const MAX_SEGMENTS = 32;

/**
 * Top-level names the product's own routes use, so no page may start with them
 * (compared case-sensitively, as the routes are). Names starting with `.` or
 * `__` are refused by their own rules too.
 */
export const RESERVED_TOP_LEVEL: ReadonlySet<string> = new Set([
  'mcp', 'authorize', 'token', 'register', 'revoke', 'api', '-', 'auth', '.git', '.well-known',
]);

/** The outcome of {@link normalizePageName}. */
export type PageNameResult = { ok: true; key: string } | { ok: false; error: PageNameError };

// In a `u` regex a surrogate range matches only unpaired surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const NUL = /\u0000/;
// C0/C1 controls, line and paragraph separators, bidi embeddings/overrides/isolates, marks, BOM.
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;
const SPACE = /\p{Zs}/gu;
const DRIVE = /^[A-Za-z]:(\/|$)/;

function fail(error: PageNameError): PageNameResult {
  return { ok: false, error };
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function utf8Bytes(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

function display(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function checkSegment(segment: string): PageNameError | null {
  if (segment === '.' || segment === '..') {
    return new PageNameError('dot_segment', 'A page name may not contain "." or ".." as a folder or page name.');
  }
  if (segment.startsWith('.')) {
    return new PageNameError('hidden_segment', `"${display(segment)}" starts with a dot; page and folder names may not.`);
  }
  if (codePoints(segment) > MAX_SEGMENT_CHARS || utf8Bytes(segment) > MAX_SEGMENT_BYTES) {
    return new PageNameError(
      'segment_too_long',
      `"${display(segment)}" is too long: each folder or page name may have at most ${MAX_SEGMENT_CHARS} characters (${MAX_SEGMENT_BYTES} bytes in UTF-8).`,
    );
  }
  return null;
}

/**
 * Turns what a user or agent typed (spaces or underscores, optional trailing
 * `.md`, redundant slashes) into the canonical page key, or explains why it
 * cannot be a page name.
 *
 * Rules: NFC; whitespace trimmed around the name and each folder; `//` and a
 * trailing `/` collapsed; one trailing lowercase `.md` removed; spaces → `_`;
 * refused: empty names, leading `/` or a drive letter, backslashes, NUL and
 * other control or bidi characters, unpaired surrogates, `.`/`..` or dot-leading
 * segments, over-long names, and top-level names reserved for product routes
 * ({@link RESERVED_TOP_LEVEL}, anything starting with `__`).
 *
 * @example
 * normalizePageName('Actors/Iran Strategy') // { ok: true, key: 'Actors/Iran_Strategy' }
 * normalizePageName('../etc/passwd')        // { ok: false, error: PageNameError('dot_segment') }
 */
export function normalizePageName(input: unknown): PageNameResult {
  if (typeof input !== 'string') return fail(new PageNameError('not_a_string', 'A page name must be text.'));
  if (LONE_SURROGATE.test(input)) {
    return fail(new PageNameError('invalid_unicode', 'The page name is not valid Unicode (it contains an unpaired surrogate).'));
  }
  if (NUL.test(input)) return fail(new PageNameError('control_character', 'The page name contains a NUL character.'));
  if (CONTROL.test(input)) {
    return fail(new PageNameError('control_character', 'The page name contains a control, line-break or text-direction character.'));
  }
  let name = input.normalize('NFC').trim();
  if (name.includes('\\')) {
    return fail(new PageNameError('backslash', 'The page name contains a backslash; use "/" to put a page in a folder.'));
  }
  if (name.endsWith('.md')) name = name.slice(0, -3);
  if (!/[^\s/]/u.test(name)) return fail(new PageNameError('empty', 'The page name is empty.'));
  if (name.startsWith('/') || DRIVE.test(name)) {
    return fail(new PageNameError('absolute', 'The page name looks like an absolute path; write it without a leading "/" or drive letter.'));
  }
  const segments = name.split('/').map((s) => s.trim()).filter((s) => s !== '');
  if (DRIVE.test(segments.join('/'))) {
    // `C: /Notes`: a drive once its folders are trimmed (the check above saw it untrimmed).
    return fail(new PageNameError('absolute', 'The page name looks like an absolute path; write it without a leading "/" or drive letter.'));
  }
  if (segments.length > MAX_SEGMENTS) {
    return fail(new PageNameError('too_deep', `The page name has ${segments.length} levels; at most ${MAX_SEGMENTS} are allowed.`));
  }
  const keyed: string[] = [];
  for (const segment of segments) {
    const problem = checkSegment(segment);
    if (problem) return fail(problem);
    keyed.push(segmentKey(segment));
  }
  const key = keyed.join('/');
  if (codePoints(key) > MAX_KEY_CHARS) {
    return fail(new PageNameError('too_long', `The page name is too long: at most ${MAX_KEY_CHARS} characters are allowed.`));
  }
  const top = keyed[0] ?? '';
  if (RESERVED_TOP_LEVEL.has(top) || top.startsWith('__')) {
    return fail(new PageNameError('reserved', `"${display(top)}" is reserved for the wiki's own addresses and cannot start a page name.`));
  }
  return { ok: true, key };
}

/**
 * One folder or file name as a page key has it: NFC, trimmed, spaces as `_`.
 * Checks nothing (see {@link normalizePageName}).
 *
 * @example segmentKey(' Iran Strategy') // 'Iran_Strategy'
 */
export function segmentKey(segment: string): string {
  return segment.normalize('NFC').trim().replace(SPACE, '_');
}

/**
 * {@link normalizePageName} for callers that want an exception.
 *
 * @throws {PageNameError} when the name cannot be a page name
 */
export function pageKeyOrThrow(input: unknown): string {
  const result = normalizePageName(input);
  if (!result.ok) throw result.error;
  return result.key;
}

/**
 * True when `key` is already a canonical page key (normalising it changes
 * nothing). Checked as `key + '.md'` so that keys ending in `.md` themselves
 * (typed as `Notes.md.md`) count too.
 */
export function isPageKey(key: string): boolean {
  const result = normalizePageName(`${key}.md`);
  return result.ok && result.key === key;
}

/**
 * Characters a *new* page name may not contain: those Otterwiki's web UI removes from names
 * (`?`, `|`, `$`, `.`, `!`, `#`, `\`; wiki-reference §4), and `:`. In an address `#` and `?` end
 * the path, `:` reads as a URL scheme in a relative link, `|` splits a wikilink, and a `.` in the
 * last segment is how `./file.ext` links name attachments. Existing pages whose files contain them
 * (pushed with git, or written through robot.wtf's REST API) stay readable and writable: only
 * creating and renaming to such a name is refused.
 */
const NEW_PAGE_FORBIDDEN = /[#?:|$.!\\]/gu;

/** The words that, as the last part of a page's address, name an action on the page before them (`/Notes/edit`). */
export const PAGE_ACTIONS = ['edit', 'history', 'diff', 'blame', 'rename', 'delete', 'attachments', 'revert'] as const;
export type PageAction = (typeof PAGE_ACTIONS)[number];
const ACTION_WORDS: ReadonlySet<string> = new Set(PAGE_ACTIONS);

/** `…/view/<revision>`: a page at a revision. */
export const REVISION_ADDRESS = /^(.+)\/view\/([0-9a-f]{7,40})$/;
/** `…/a/<file>`: a page's attachment. */
export const ATTACHMENT_ADDRESS = /^(.+)\/a\/([^/]+)$/;

/** `path`'s action when its last segment names one (`Notes/edit` → `edit`), else null. */
export function addressAction(path: string): { key: string; action: PageAction } | null {
  const m = /^(.+)\/([a-z]+)$/.exec(path);
  return m && ACTION_WORDS.has(m[2]!) ? { key: m[1]!, action: m[2] as PageAction } : null;
}

/** How the wiki's addresses would read `key` other than as the page itself, or null when they read it as the page. */
function shadowingAddress(key: string): string | null {
  if (REVISION_ADDRESS.test(key)) return 'a revision of another page';
  if (ATTACHMENT_ADDRESS.test(key)) return 'an attachment of another page';
  const action = addressAction(key);
  return action ? `the ${action.action} page of another page` : null;
}

/** Why `key` (a canonical page key) may not be the name of a new page, or null when it may. */
export function newPageNameProblem(key: string): PageNameError | null {
  const found = [...new Set(key.match(NEW_PAGE_FORBIDDEN) ?? [])];
  const name = display(key.replaceAll('_', ' '));
  if (found.length > 0) {
    const list = found.map((c) => `"${c}"`).join(' and ');
    return new PageNameError(
      'forbidden_character',
      `"${name}" cannot be the name of a new page: it contains ${list}. Page names may not contain # ? : | $ . ! or \\ — leave them out or write them as words.`,
    );
  }
  const shadow = shadowingAddress(key);
  if (shadow) {
    return new PageNameError('shadowed', `"${name}" cannot be the name of a new page: its address opens ${shadow}. Choose another name for its last part or the folder before it.`);
  }
  return null;
}

/**
 * Throws unless `key` may name a new page (see {@link newPageNameProblem}).
 *
 * @throws {PageNameError} `forbidden_character`
 */
/** True when a new page may be called `key` (what {@link checkNewPageName} accepts). */
export function isNewPageName(key: string): boolean {
  return newPageNameProblem(key) === null;
}

export function checkNewPageName(key: string): string {
  const problem = newPageNameProblem(key);
  if (problem) throw problem;
  return key;
}
