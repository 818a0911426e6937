/** Table cell alignment as `align="…"` instead of markdown-it's `style` (style attributes are never allowed). */
import type { MarkdownIt, StateCore } from 'markdown-it';

function tableAlignment(state: StateCore): void {
  for (const token of state.tokens) {
    if ((token.type !== 'th_open' && token.type !== 'td_open') || !token.attrs) continue;
    token.attrs = token.attrs.map(([name, value]) => {
      const align = name === 'style' ? /^text-align:(left|right|center)$/.exec(String(value)) : null;
      return align ? ['align', align[1] ?? 'left'] : [name, value];
    });
  }
}

/** Rewrites alignment styles of table cells. */
export function tables(md: MarkdownIt): void {
  md.core.ruler.after('block', 'table_alignment', tableAlignment);
}
