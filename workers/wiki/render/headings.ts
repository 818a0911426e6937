/**
 * Heading ids (Otterwiki's slugs, duplicates numbered), the table of contents and the first
 * H1 of the page. Fancy-block headings are not headings here and stay out of it.
 */
import type { MarkdownIt, StateCore } from 'markdown-it';
import { inlineText } from './inline-text.ts';
import { renderState } from './render-state.ts';

function headings(state: StateCore): void {
  const render = renderState(state.env);
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    if (open.type !== 'heading_open') continue;
    const level = Number(open.tag.slice(1));
    const text = inlineText(tokens[i + 1]?.children ?? null);
    const id = render.headingId(text);
    open.attrSet('id', id);
    render.toc.push({ level, text, id });
    if (level === 1 && render.firstH1 === null) render.firstH1 = text;
  }
}

/** Adds ids to headings and fills the toc (a core rule after everything else). */
export function headingAnchors(md: MarkdownIt): void {
  md.core.ruler.push('heading_anchors', headings);
}
