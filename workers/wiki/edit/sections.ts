/**
 * A page's sections (wiki-reference §7.3): ATX headings (`#`..`######` and a
 * space) outside code fences and outside the frontmatter block. A section runs
 * from its heading to the next heading of the same or a higher level (so it
 * holds its subsections), or to the end of the page. Setext headings
 * (`Title` over `===`) do not start sections, as in robot.wtf; neither does the
 * `#` line that opens a `:::` fancy block, which the renderer shows as the
 * block's own heading.
 */
import { frontmatterEnd } from './frontmatter-span.ts';
import { lineNumberAt } from './line-endings.ts';
import { closesFence, colonLine, openingFence, parseAtxHeading, type Fence } from './markdown-lines.ts';

/** One heading and the span of text it heads. Offsets are UTF-16 indexes into the page text. */
export interface Section {
  /** 1 to 6. */
  level: number;
  /** The heading text, trimmed, without closing `#`s (may be '' for a bare `#`). */
  title: string;
  /** Titles from the outermost enclosing heading down to this one. */
  path: readonly string[];
  /** The heading's line number, counting from 1 (frontmatter lines included). */
  line: number;
  /** Where the heading line starts. */
  start: number;
  /** Just after the heading line and its line ending: where the section's text starts. */
  contentStart: number;
  /** Where the section's own text ends: the next heading of any level, or the end of the page. */
  bodyEnd: number;
  /** Where the section ends: the next heading of the same or a higher level, or the end of the page. */
  end: number;
}

/** A section path as shown to people: titles joined with `" > "`. */
export function formatSectionPath(path: readonly string[]): string {
  return path.join(' > ');
}

type Building = { -readonly [K in keyof Section]: Section[K] };

/**
 * Every section of a page, in page order. Handles `\n` and `\r\n` line endings;
 * a fence left open runs to the end of the page (as in CommonMark).
 *
 * @example parseSections('# A\ntext\n## B\n').map((s) => s.path.join(' > ')) // ['A', 'A > B']
 */
export function parseSections(text: string): Section[] {
  const sections: Building[] = [];
  const open: Building[] = [];
  let fence: Fence | null = null;
  const fancy: number[] = [];
  let afterFancyOpen = false;
  let pos = frontmatterEnd(text);
  let line = lineNumberAt(text, pos);

  for (let next = 0; pos < text.length; pos = next, line++) {
    const lf = text.indexOf('\n', pos);
    next = lf < 0 ? text.length : lf + 1;
    let content = text.slice(pos, lf < 0 ? text.length : lf);
    if (content.endsWith('\r')) content = content.slice(0, -1);
    const firstInFancy = afterFancyOpen;
    afterFancyOpen = false;

    if (fence) {
      if (closesFence(content, fence)) fence = null;
      continue;
    }
    fence = openingFence(content);
    if (fence) continue;

    const colons = colonLine(content);
    if (colons) {
      const top = fancy[fancy.length - 1];
      if (top !== undefined && colons.name === '' && colons.colons >= top) fancy.pop();
      else {
        fancy.push(colons.colons);
        afterFancyOpen = true;
      }
      continue;
    }
    const heading = firstInFancy ? null : parseAtxHeading(content);
    if (!heading) continue;

    while (open.length > 0 && open[open.length - 1]!.level >= heading.level) open.pop()!.end = pos;
    const previous = sections[sections.length - 1];
    if (previous) previous.bodyEnd = pos;
    const section: Building = {
      level: heading.level,
      title: heading.title,
      path: [...open.map((s) => s.title), heading.title],
      line,
      start: pos,
      contentStart: next,
      bodyEnd: text.length,
      end: text.length,
    };
    sections.push(section);
    open.push(section);
  }
  return sections;
}
