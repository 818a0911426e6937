/**
 * Where a page's Markdown is not read for links, as the renderer parses it:
 * the frontmatter, fenced and indented code blocks, math and raw HTML blocks.
 * Link rewriting (pages/link-rewrite.ts) leaves these lines exactly as written.
 */
import { splitFrontmatter } from './frontmatter.ts';
import { wikiMarkdown } from './markdown.ts';
import { createRenderEnv } from './render-state.ts';

/** Half-open line ranges `[start, end)` of `markdown`, in order. */
export type LineRange = [start: number, end: number];

/** Line breaks as markdown-it counts them (\r\n, \r or \n). */
function lineCount(text: string): number {
  return text.match(/\r\n?|\n/g)?.length ?? 0;
}

/** The line ranges of `markdown` (a whole page, frontmatter included) that are not read for links, in order (lines end at \r\n, \r or \n). */
export function unlinkedLineRanges(markdown: string): LineRange[] {
  const { body } = splitFrontmatter(markdown);
  const offset = lineCount(markdown.slice(0, markdown.length - body.length));
  const ranges: LineRange[] = offset > 0 ? [[0, offset]] : [];
  const { env } = createRenderEnv({ pageExists: () => true, linkHref: (name) => `/${name}` }, '\uE002');
  for (const token of wikiMarkdown().parse(body, env)) {
    // Leaf blocks whose text is not inline Markdown: code, math, raw HTML (an `inline` token is, an `hr` has none).
    if (token.map && token.nesting === 0 && token.type !== 'inline' && token.type !== 'hr') ranges.push([token.map[0] + offset, token.map[1] + offset]);
  }
  // In document order: markdown-it-footnote moves footnote blocks to the end of the token stream.
  return ranges.sort((a, b) => a[0] - b[0]);
}
