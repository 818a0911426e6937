/**
 * The line-level Markdown syntax that section editing needs, CommonMark style:
 * ATX headings, fenced code blocks and the opening line of a `:::` fancy block.
 * Lines are given without their line ending.
 */

/** An ATX heading line: `#`..`######`, then a space, a tab or the end of the line. */
export interface AtxHeading {
  /** 1 to 6. */
  level: number;
  /** The heading text, trimmed, without the optional closing `#` sequence. */
  title: string;
}

/** An open code fence: the character and how many of it opened the block. */
export interface Fence {
  char: '`' | '~';
  length: number;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const FANCY_LINE = /^ {0,3}(:{3,})([^:]*)$/;

function trimSpaces(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * The heading a line is, or null. Up to three spaces of indentation are
 * allowed (four make an indented code block); a closing sequence of `#`s is
 * dropped only when a space or tab precedes it, so `## C# Programming` keeps
 * "C#" and `## Notes ##` gives "Notes". `#` alone is a heading with an empty title.
 *
 * @example parseAtxHeading('## Setup ##') // { level: 2, title: 'Setup' }
 * @example parseAtxHeading('#hashtag') // null
 */
export function parseAtxHeading(line: string): AtxHeading | null {
  const m = ATX.exec(line);
  if (!m) return null;
  const content = trimSpaces(m[2] ?? '');
  const title = trimSpaces(content.replace(/(?:^|[ \t]+)#+$/, ''));
  return { level: m[1]!.length, title };
}

/**
 * The fence a line opens, or null: three or more backticks or tildes after at
 * most three spaces; a backtick fence's info string may not contain backticks.
 */
export function openingFence(line: string): Fence | null {
  const m = FENCE_OPEN.exec(line);
  if (!m) return null;
  const marker = m[1]!;
  const char = marker[0] === '`' ? '`' : '~';
  if (char === '`' && (m[2] ?? '').includes('`')) return null;
  return { char, length: marker.length };
}

/** Whether a line closes `fence`: the same character, at least as many, nothing after but spaces. */
export function closesFence(line: string, fence: Fence): boolean {
  const m = FENCE_CLOSE.exec(line);
  return m !== null && m[1]![0] === fence.char && m[1]!.length >= fence.length;
}

/** A `:::` line: how many colons and what follows them (trimmed). */
export interface ColonLine {
  colons: number;
  name: string;
}

/**
 * A line of three or more colons after at most three spaces, then an optional
 * name without colons, or null. With a name, or when no fancy block is open
 * (or it needs more colons), it opens a fancy block; otherwise it closes the
 * open one. The renderer turns a `#` line right after an opening line into the
 * block's own heading, which is not a section heading.
 */
export function colonLine(line: string): ColonLine | null {
  const m = FANCY_LINE.exec(line);
  if (!m) return null;
  return { colons: m[1]!.length, name: trimSpaces(m[2] ?? '') };
}
