/**
 * Line diffs between two versions of a page: a structured form for HTML
 * views (inline or side by side) and the unified diff text of `diff -u` /
 * `git diff`. The diff itself is jsdiff's Myers implementation (`diff` on npm).
 */
import { diffLines as diffChanges } from 'diff';

/** What a diff line is to the old and new text. */
export type DiffLineKind = 'context' | 'added' | 'removed';

/** One line of a hunk. */
export interface DiffLine {
  kind: DiffLineKind;
  /** The line's number in the old text (from 1); absent for added lines. */
  oldLine?: number;
  /** The line's number in the new text (from 1); absent for removed lines. */
  newLine?: number;
  /** The line without its line ending (`\n` or `\r\n`). */
  text: string;
  /** Present (true) when this is the last line of its text and has no line ending. */
  noNewlineAtEnd?: true;
}

/** A run of changes with the context lines around them, as in a unified diff's `@@` block. */
export interface DiffHunk {
  /** First old line of the hunk (from 1), or the line before it when the hunk has no old lines (0 at the top). */
  oldStart: number;
  /** How many old lines the hunk spans (context and removed). */
  oldLines: number;
  /** First new line of the hunk, or the line before it when the hunk has no new lines. */
  newStart: number;
  /** How many new lines the hunk spans (context and added). */
  newLines: number;
  lines: DiffLine[];
}

/** Options of {@link diffLines}. */
export interface DiffOptions {
  /** Unchanged lines kept around each change; `Infinity` gives one hunk with the whole text. Default 3. */
  context?: number;
  /**
   * The largest edit (lines removed plus lines added) worked out line by line;
   * beyond it (whose cost grows with text size × edit size) the diff falls back
   * to one block replacing everything between the common first and last lines,
   * still a correct diff. jsdiff's `timeout` is not used: workerd's clock does
   * not advance during a request's computation. Default 2000.
   */
  maxEditLength?: number;
}

/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions extends DiffOptions {
  /** The `---` header's file name. Default `'old'`. */
  oldLabel?: string;
  /** The `+++` header's file name. Default `'new'`. */
  newLabel?: string;
}

const DEFAULT_CONTEXT = 3;
const DEFAULT_MAX_EDIT_LENGTH = 2000;

/** A diff line before numbering into hunks: the raw line includes its line ending, if any. */
interface Entry {
  kind: DiffLineKind;
  raw: string;
  oldLine?: number;
  newLine?: number;
  /** Old and new lines before this entry. */
  oldBefore: number;
  newBefore: number;
}

/** The lines of `text`, each with its `\n` (the last one may lack it). */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function sameLinesPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Removed and added runs as [kind, lines] pairs in text order; jsdiff first, the prefix/suffix fallback beyond the limit. */
function changeRuns(oldText: string, newText: string, maxEditLength: number): Array<[DiffLineKind, string[]]> {
  const changes = diffChanges(oldText, newText, { maxEditLength });
  if (changes) {
    return changes.map((c) => [c.added ? 'added' : c.removed ? 'removed' : 'context', splitLines(c.value)]);
  }
  const oldLines = splitLines(oldText);
  const newLines = splitLines(newText);
  const head = sameLinesPrefix(oldLines, newLines);
  const tail = sameLinesPrefix(oldLines.slice(head).reverse(), newLines.slice(head).reverse());
  return [
    ['context', oldLines.slice(0, head)],
    ['removed', oldLines.slice(head, oldLines.length - tail)],
    ['added', newLines.slice(head, newLines.length - tail)],
    ['context', oldLines.slice(oldLines.length - tail)],
  ];
}

/** Every line of both texts in diff order, removed lines before added ones within a change. */
function entries(oldText: string, newText: string, maxEditLength: number): Entry[] {
  const out: Entry[] = [];
  let oldCount = 0;
  let newCount = 0;
  let pendingAdded: string[] = [];
  const flushAdded = (): void => {
    for (const raw of pendingAdded) {
      out.push({ kind: 'added', raw, newLine: newCount + 1, oldBefore: oldCount, newBefore: newCount });
      newCount++;
    }
    pendingAdded = [];
  };
  for (const [kind, lines] of changeRuns(oldText, newText, maxEditLength)) {
    if (kind === 'added') {
      pendingAdded.push(...lines);
      continue;
    }
    if (kind === 'context') flushAdded();
    for (const raw of lines) {
      if (kind === 'removed') {
        out.push({ kind, raw, oldLine: oldCount + 1, oldBefore: oldCount, newBefore: newCount });
        oldCount++;
      } else {
        out.push({ kind, raw, oldLine: oldCount + 1, newLine: newCount + 1, oldBefore: oldCount, newBefore: newCount });
        oldCount++;
        newCount++;
      }
    }
  }
  flushAdded();
  return out;
}

function toDiffLine(entry: Entry): DiffLine {
  const line: DiffLine = { kind: entry.kind, text: entry.raw.replace(/\r?\n$/, '') };
  if (entry.oldLine !== undefined) line.oldLine = entry.oldLine;
  if (entry.newLine !== undefined) line.newLine = entry.newLine;
  if (!entry.raw.endsWith('\n')) line.noNewlineAtEnd = true;
  return line;
}

/** A hunk still holding raw lines. */
interface RawHunk extends Omit<DiffHunk, 'lines'> {
  entries: Entry[];
}

function hunkOf(slice: Entry[]): RawHunk {
  const first = slice[0]!;
  const oldLines = slice.filter((e) => e.kind !== 'added').length;
  const newLines = slice.filter((e) => e.kind !== 'removed').length;
  return {
    oldStart: oldLines > 0 ? first.oldBefore + 1 : first.oldBefore,
    oldLines,
    newStart: newLines > 0 ? first.newBefore + 1 : first.newBefore,
    newLines,
    entries: slice,
  };
}

/** Entries grouped into hunks: changes at most 2 × context lines apart share one. */
function rawHunks(oldText: string, newText: string, options: DiffOptions): RawHunk[] {
  if (oldText === newText) return [];
  const wanted = options.context ?? DEFAULT_CONTEXT;
  const context = Number.isNaN(wanted) ? DEFAULT_CONTEXT : Math.max(0, Math.floor(wanted));
  const all = entries(oldText, newText, options.maxEditLength ?? DEFAULT_MAX_EDIT_LENGTH);
  const groups: Array<{ from: number; to: number }> = [];
  for (let i = 0; i < all.length; i++) {
    if (all[i]!.kind === 'context') continue;
    let end = i;
    while (end + 1 < all.length && all[end + 1]!.kind !== 'context') end++;
    const from = Math.max(0, i - context);
    const to = Math.min(all.length, end + 1 + context);
    const last = groups[groups.length - 1];
    if (last && from <= last.to) last.to = to;
    else groups.push({ from, to });
    i = end;
  }
  return groups.map(({ from, to }) => hunkOf(all.slice(from, to)));
}

/**
 * The line-by-line differences from `oldText` to `newText` as hunks; `[]` when
 * the texts are equal. A line that differs only in its line ending (`\r\n` vs
 * `\n`, or none at the very end) counts as changed.
 *
 * @example diffLines('a\nb\n', 'a\nc\n')[0]!.lines.map((l) => l.kind) // ['context', 'removed', 'added']
 */
export function diffLines(oldText: string, newText: string, options: DiffOptions = {}): DiffHunk[] {
  return rawHunks(oldText, newText, options).map(({ entries: lines, ...numbers }) => ({
    ...numbers,
    lines: lines.map(toDiffLine),
  }));
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

const PREFIX: Record<DiffLineKind, string> = { context: ' ', added: '+', removed: '-' };

/**
 * The unified diff (`diff -u` / `git diff` format) from `oldText` to
 * `newText`: `--- old` and `+++ new` headers, then `@@ -a,b +c,d @@` hunks
 * (a count of 1 is left out, as GNU diff does); lines keep a `\r` before their
 * line ending; `\ No newline at end of file` follows a last line without one.
 * The result ends with a line ending; it is `''` when the texts are equal.
 *
 * @example unifiedDiff('a\n', 'b\n', { oldLabel: 'Home.md', newLabel: 'Home.md' })
 * // '--- Home.md\n+++ Home.md\n@@ -1 +1 @@\n-a\n+b\n'
 */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions = {}): string {
  const hunks = rawHunks(oldText, newText, options);
  if (hunks.length === 0) return '';
  const out = [`--- ${options.oldLabel ?? 'old'}`, `+++ ${options.newLabel ?? 'new'}`];
  for (const hunk of hunks) {
    out.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`);
    for (const entry of hunk.entries) {
      if (entry.raw.endsWith('\n')) out.push(PREFIX[entry.kind] + entry.raw.slice(0, -1));
      else out.push(PREFIX[entry.kind] + entry.raw, '\\ No newline at end of file');
    }
  }
  return out.join('\n') + '\n';
}
