/**
 * Where a page's YAML frontmatter block ends, by the same rule the renderer
 * uses (`splitFrontmatter` in ../render/frontmatter.ts, Otterwiki's
 * `---\s*\n(.*?)\n---\s*\n?` at the very start), so that edits never treat
 * frontmatter lines (such as `# a YAML comment`) as Markdown.
 */

// The renderer's block pattern, with the whitespace after the closing `---` captured.
const BLOCK = /^---\s*\n([\s\S]*?)\n---(\s*\n?)/;

/**
 * The offset just after the frontmatter's closing `---` line (after its line
 * ending), or 0 when the page has no frontmatter. Blank lines after the block
 * are not part of it.
 *
 * @example frontmatterEnd('---\ntitle: A\n---\n\n# A\n') // 17 (the blank line starts there)
 */
export function frontmatterEnd(text: string): number {
  if (!text.startsWith('---')) return 0;
  const m = BLOCK.exec(text);
  if (!m) return 0;
  const tail = m[2] ?? '';
  const dashesEnd = m[0].length - tail.length;
  const lineBreak = tail.indexOf('\n');
  return lineBreak < 0 ? dashesEnd + tail.length : dashesEnd + lineBreak + 1;
}
