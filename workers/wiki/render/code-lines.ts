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

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The line ranges of `markdown` (a whole page, frontmatter included) that are not read for links. */
export function unlinkedLineRanges(markdown: string): LineRange[] {
  const { body } = splitFrontmatter(markdown);
  const offset = lineCount(markdown.slice(0, markdown.length - body.length));
  const ranges: LineRange[] = offset > 0 ? [[0, offset]] : [];
  const { env } = createRenderEnv({ pageExists: () => true, linkHref: (name) => `/${name}` }, '\uE002');
  for (const token of wikiMarkdown().parse(body, env)) {
    // Leaf blocks whose text is not inline Markdown: code, math, raw HTML (an `inline` token is, an `hr` has none).
    if (token.map && token.nesting === 0 && token.type !== 'inline' && token.type !== 'hr') ranges.push([token.map[0] + offset, token.map[1] + offset]);
  }
  return ranges;
}
