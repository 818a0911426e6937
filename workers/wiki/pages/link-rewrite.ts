/**
 * Rewrites links to a renamed page inside a page's Markdown, reading each
 * link the way the index and the renderer do, so every link the index lists
 * as pointing at the page follows it:
 * - wikilinks: `[[Page]]`, `[[Title|Page]]`, with `#anchor`;
 * - Markdown links and images, inline (`[t](/Page)`, `![](/Page/a/file.png)`)
 *   or as reference definitions (`[1]: /Page`): root paths, bare paths
 *   (`Folder/Page`), and `./` paths resolved under the page they are on.
 * A rewritten Markdown address is a root path, every segment percent-encoded
 * (parentheses too, so a name like `a)b` cannot end the link early).
 * Text the renderer does not read for links is left exactly as it is: code
 * spans, inline math, code blocks (fenced or indented), math and raw HTML blocks,
 * frontmatter, and what a backslash escapes (`\[[Page]]` is text). The page
 * is read once into a masked copy where these are blanked (maskUnlinked); the
 * links are found there and replaced in the page at the same offsets.
 */
import { unlinkedLineRanges } from '../render/code-lines.ts';
import { inlineMathEnd } from '../render/math.ts';
import { resolveRelative, type RelativeTarget } from '../render/relative-links.ts';
import { normalizePageName } from './page-name.ts';

/** A page moving from one key to another. */
export interface Rename {
  from: string;
  to: string;
}

/**
 * The page whose text is rewritten: where it is, and where it will be after
 * the commit (the renamed page moves). Without `page`, `./` addresses cannot
 * be resolved and stay as they are.
 */
export interface LinkContext {
  page?: string;
  after?: string;
}

/** The page key a written page name stands for, or null. */
function keyOf(name: string): string | null {
  const r = normalizePageName(name.trim().replace(/^\/+/, ''));
  return r.ok ? r.key : null;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A page key as a root path: each segment percent-encoded, parentheses included. */
export function pageHref(key: string): string {
  return `/${key.split('/').map((s) => encodeURIComponent(s).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}`;
}

/** How a renamed page is written in a wikilink: with spaces, as people type names. */
function displayName(key: string): string {
  return key.replaceAll('_', ' ');
}

/** Where a resolved `./` target leads once the rename is done. */
function renamed(target: RelativeTarget, rename: Rename): RelativeTarget {
  if (target.kind === 'refused' || target.page !== rename.from) return target;
  return { ...target, page: rename.to };
}

function sameTarget(a: RelativeTarget, b: RelativeTarget): boolean {
  if (a.kind === 'refused' || b.kind === 'refused') return a.kind === b.kind;
  return a.kind === b.kind && a.page === b.page && (a.kind !== 'attachment' || (b.kind === 'attachment' && a.file === b.file));
}

function targetHref(target: Exclude<RelativeTarget, { kind: 'refused' }>): string {
  const page = pageHref(target.page);
  return target.kind === 'attachment' ? `${page}/a/${encodeURIComponent(target.file)}${target.suffix}` : `${page}${target.suffix}`;
}

/** Whether `href` is an address on this wiki (not a URL with a scheme, another host, or an in-page anchor or query). */
function isWikiPath(href: string): boolean {
  return href !== '' && !/^[^/?#]*:/.test(href) && !/^[/\\]{2}/.test(href) && !href.startsWith('#') && !href.startsWith('?');
}

/** The address that replaces `href` on the page `on` for `rename`, or null to keep it. */
function rewriteHref(href: string, rename: Rename, on: LinkContext): string | null {
  if (href.startsWith('./')) {
    if (on.page === undefined) return null;
    const before = resolveRelative(on.page, href);
    if (before.kind === 'refused') return null;
    const target = renamed(before, rename);
    // On the page that moves, a `./` address keeps working when it leads to the same place from there.
    if (on.after !== undefined && on.after !== on.page) return sameTarget(resolveRelative(on.after, href), target) ? null : targetHref(target as Exclude<RelativeTarget, { kind: 'refused' }>);
    return target === before ? null : targetHref(target as Exclude<RelativeTarget, { kind: 'refused' }>);
  }
  if (!isWikiPath(href)) return null;
  const cut = href.search(/[?#]/);
  const suffix = cut < 0 ? '' : href.slice(cut);
  const segments = (cut < 0 ? href : href.slice(0, cut)).split('/').filter((s) => s !== '');
  // The page itself, or one of its attachments: `<page>/a/<file>` or `<page>/<file.ext>`.
  const forms: { page: string[]; tail: string[] }[] = [{ page: segments, tail: [] }];
  if (segments.length >= 3 && segments.at(-2) === 'a') forms.push({ page: segments.slice(0, -2), tail: segments.slice(-2) });
  if (segments.length >= 2 && decode(segments.at(-1)!).includes('.')) forms.push({ page: segments.slice(0, -1), tail: segments.slice(-1) });
  for (const form of forms) {
    if (form.page.length === 0 || keyOf(decode(form.page.join('/'))) !== rename.from) continue;
    return `${pageHref(rename.to)}${form.tail.length ? `/${form.tail.join('/')}` : ''}${suffix}`;
  }
  return null;
}

const WIKILINK = /\[\[([^[\]\n]+?)\]\]/g;
/**
 * `](destination "title")`: the destination in `<…>` or without spaces (one
 * level of balanced parentheses allowed), spaces and one line break around
 * it, a title in quotes or parentheses. Each run of spaces is taken whole
 * (a lookahead, then a backreference): the runs cannot trade characters, so
 * a line of spaces costs linear time, not quadratic.
 */
const INLINE_LINK = /(\]\((?=([ \t]*\n?[ \t]*))\2)(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)((?:(?=([ \t]*\n?[ \t]*))\5(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?(?=([ \t]*\n?[ \t]*))\6\))/g;
/**
 * `[label]: destination "title"` at the start of a line, also inside a
 * blockquote or a list item, however deeply indented (not `[^1]:`, which is a
 * footnote). Indented code never reaches it: code is masked first.
 */
const REFERENCE = /^([ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?\[(?!\^)[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)/gm;
/** Farthest back the `[` opening a link's text is looked for. */
const MAX_LINK_TEXT = 1000;

/** `destination` rewritten (kept in `<…>` when it was), or null to keep it. */
function rewriteDestination(destination: string, rename: Rename, on: LinkContext): string | null {
  const angled = destination.startsWith('<') && destination.endsWith('>');
  const href = angled ? destination.slice(1, -1) : destination;
  const next = rewriteHref(href.trim(), rename, on);
  if (next === null) return null;
  return angled ? `<${next}>` : next;
}

/** The wikilink `[[inner]]` pointing at the renamed page, or null when it points elsewhere. */
function rewriteWikilink(inner: string, rename: Rename): string | null {
  const pipe = inner.indexOf('|');
  // Otterwiki's default style: [[Title|Page]]; without a pipe the text is the page.
  const title = pipe >= 0 ? inner.slice(0, pipe) : null;
  const target = pipe >= 0 ? inner.slice(pipe + 1) : inner;
  const hash = target.indexOf('#');
  const page = hash >= 0 ? target.slice(0, hash) : target;
  const anchor = hash >= 0 ? target.slice(hash) : '';
  if (keyOf(decode(page)) !== rename.from) return null;
  const moved = `${displayName(rename.to)}${anchor}`;
  return title !== null ? `[[${title}|${moved}]]` : `[[${moved}]]`;
}

/** Whether the `]` at `close` in `masked` ends a link's text: an unescaped `[` opens it, with no blank line between. */
function closesLinkText(masked: string, close: number): boolean {
  let depth = 0;
  // Whether the line being read back through (after the last line break seen) holds only spaces so far.
  let lineBlank = false;
  let seenBreak = false;
  for (let i = close - 1; i >= Math.max(0, close - MAX_LINK_TEXT); i--) {
    const c = masked[i];
    if (c === '\n') {
      if (seenBreak && lineBlank) return false;
      seenBreak = lineBlank = true;
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') lineBlank = false;
    if (c === ']') depth++;
    else if (c === '[' && depth-- === 0) return true;
  }
  return false;
}

/** A piece of the page replaced: `text[start..end)` becomes `by`. */
interface Edit {
  start: number;
  end: number;
  by: string;
}

/**
 * The page with everything the renderer does not read for links masked out,
 * at the same offsets: code and math (blocks and spans) become NULs (line
 * breaks kept), and each backslash escape two private-use characters, so a
 * `\[` opens nothing. Read left to right as the parser does: a wikilink is
 * passed whole, so a `$` or a `\` inside one is its text.
 */
function maskUnlinked(text: string): string {
  // Lines as markdown-it counts them: a lone \r ends one too.
  const lineStarts = [0];
  for (const m of text.matchAll(/\r\n?|\n/g)) lineStarts.push(m.index + m[0].length);
  const offsetOf = (line: number) => (line < lineStarts.length ? lineStarts[line]! : text.length);
  let out = '';
  let last = 0;
  for (const [start, end] of unlinkedLineRanges(text)) {
    const from = Math.max(offsetOf(start), last);
    const to = offsetOf(end);
    if (to <= from) continue;
    out += maskInline(text.slice(last, from)) + blank(text.slice(from, to));
    last = to;
  }
  return out + maskInline(text.slice(last));
}

/** `text` as NULs, its line breaks kept. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, '\u0000');
}

/**
 * Prose with its code spans and inline math blanked and its backslash
 * escapes masked. A run of backticks opens a span closed by the next run of
 * the same length in its paragraph, or else is text.
 */
function maskInline(text: string): string {
  let out = '';
  let last = 0;
  // Per run length, where a search for a closing run found none: a later run of that length before there finds none either (linear, not quadratic).
  const noCloserBefore = new Map<number, number>();
  // Where each blank line starts: a code span cannot cross one.
  const blanks = [...text.matchAll(/\n[ \t]*(?=\r?\n)/g)].map((m) => m.index).concat(text.length);
  let paragraph = 0;
  const run = /`+/g;
  const wikilink = /\[\[[^[\]\n]+?\]\]/y;
  const mask = (from: number, to: number, by: string) => {
    out += text.slice(last, from) + by;
    last = to;
  };
  for (let pos = 0; pos < text.length; ) {
    const c = text[pos];
    if (c === '\\') {
      if (pos + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[pos + 1]!)) mask(pos, pos + 2, '\uE003\uE003');
      pos += 2;
    } else if (c === '`') {
      const open = /`+/y;
      open.lastIndex = pos;
      const length = open.exec(text)![0].length;
      pos += length;
      if (pos < (noCloserBefore.get(length) ?? -1)) continue;
      while (blanks[paragraph]! < pos) paragraph++;
      const end = blanks[paragraph]!;
      run.lastIndex = pos;
      let close: RegExpExecArray | null;
      while ((close = run.exec(text)) && close.index < end && close[0].length !== length);
      if (close && close.index < end) {
        mask(pos - length, close.index + length, blank(text.slice(pos - length, close.index + length)));
        pos = last;
      } else noCloserBefore.set(length, end);
    } else if (c === '$') {
      const end = inlineMathEnd(text, pos);
      if (end > 0) mask(pos, end, blank(text.slice(pos, end)));
      pos = end > 0 ? end : pos + 1;
    } else if (c === '[' && text[pos + 1] === '[') {
      wikilink.lastIndex = pos;
      pos += wikilink.exec(text)?.[0].length ?? 2;
    } else pos++;
  }
  return out + text.slice(last);
}

/** Every link in the page to `rename.from`, as edits of `text`, found in `masked`. */
function linkEdits(text: string, masked: string, rename: Rename, on: LinkContext): Edit[] {
  const edits: Edit[] = [];
  for (const m of masked.matchAll(REFERENCE)) {
    const start = m.index + m[1]!.length;
    const end = start + m[2]!.length;
    const by = rewriteDestination(text.slice(start, end), rename, on);
    if (by !== null) edits.push({ start, end, by });
  }
  for (const m of masked.matchAll(WIKILINK)) {
    const end = m.index + m[0].length;
    const by = rewriteWikilink(text.slice(m.index + 2, end - 2), rename);
    if (by !== null) edits.push({ start: m.index, end, by });
  }
  for (const m of masked.matchAll(INLINE_LINK)) {
    if (!closesLinkText(masked, m.index)) continue;
    const start = m.index + m[1]!.length;
    const end = start + m[3]!.length;
    const by = rewriteDestination(text.slice(start, end), rename, on);
    if (by !== null) edits.push({ start, end, by });
  }
  return edits.sort((a, b) => a.start - b.start);
}

/** `text` (the page `on`) with every link to `rename.from` pointing at `rename.to` instead. */
export function rewritePageLinks(text: string, rename: Rename, on: LinkContext): string {
  let out = '';
  let last = 0;
  for (const edit of linkEdits(text, maskUnlinked(text), rename, on)) {
    if (edit.start < last) continue;
    out += text.slice(last, edit.start) + edit.by;
    last = edit.end;
  }
  return out + text.slice(last);
}
