/**
 * Blame: which of a page's versions last changed each line of its newest version. Pure: the
 * caller gives the versions' texts, newest first, and says whether they reach back to the page's
 * creation. Each step diffs one version against the one before it (the diff is bounded like every
 * diff of the wiki, see `diffLines`); a line that is new in a version is that version's, a line
 * that survives is followed into the older text.
 */
import { diffLines } from './diff.ts';

/** One version of the page; `text` null means the page did not exist (it had been deleted). */
export interface BlameVersion {
  text: string | null;
}

/** Where a line of the newest version comes from. */
export interface BlamedLine {
  /** The line without its line ending. */
  text: string;
  /** Index into the versions given (0 = newest) of the version that last changed this line. */
  version: number;
  /**
   * True when the versions given ran out before the line's origin was found: the line is
   * unchanged since that (oldest given) version, and may be older still.
   */
  older: boolean;
}

/** The lines of `text` without their line endings (a last line without `\n` counts). */
export function textLines(text: string): string[] {
  return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((l) => l.replace(/\r?\n$/, ''));
}

/** For each line of `newer` (0-based), its line in `older`, or -1 when the line is new in `newer`. */
function lineOrigins(older: string, newer: string): number[] {
  const origins = new Array<number>(textLines(newer).length).fill(-1);
  if (older === newer) return origins.map((_, i) => i);
  for (const hunk of diffLines(older, newer, { context: Infinity })) {
    for (const line of hunk.lines) {
      if (line.kind === 'context') origins[line.newLine! - 1] = line.oldLine! - 1;
    }
  }
  return origins;
}

/**
 * Blames every line of `versions[0]` (which must exist). `complete` says the versions reach the
 * page's creation (or a deletion, given as a null text, ends them): lines still unexplained by the
 * oldest version are then that version's; otherwise they are marked `older`.
 *
 * @example blameLines([{ text: 'a\nb\n' }, { text: 'a\n' }], true) // a → 1, b → 0
 */
export function blameLines(versions: readonly BlameVersion[], complete: boolean): BlamedLine[] {
  const newest = versions[0]?.text;
  if (newest === null || newest === undefined) throw new Error('blameLines needs the newest version of the page');
  const lines = textLines(newest);
  const result: (BlamedLine | undefined)[] = new Array(lines.length);
  // Line index in the version being looked at → line index in the newest version.
  let tracked = new Map<number, number>(lines.map((_, i) => [i, i]));
  let at = 0;
  for (; at + 1 < versions.length && tracked.size > 0; at++) {
    const newer = versions[at]!.text!;
    const older = versions[at + 1]!.text;
    if (older === null) break;
    const origins = lineOrigins(older, newer);
    const next = new Map<number, number>();
    for (const [pos, line] of tracked) {
      const origin = origins[pos] ?? -1;
      if (origin < 0) result[line] = { text: lines[line]!, version: at, older: false };
      else next.set(origin, line);
    }
    tracked = next;
  }
  const older = !complete && at === versions.length - 1;
  for (const line of tracked.values()) result[line] = { text: lines[line]!, version: at, older };
  return result.map((r) => r!);
}
