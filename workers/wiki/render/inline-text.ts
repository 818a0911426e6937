/** The plain text of inline tokens, as Otterwiki gets it by stripping tags from the rendered HTML. */
import type { Token } from 'markdown-it';

/** Text, code and math content joined; markup, raw HTML and images dropped; whitespace collapsed. */
export function inlineText(tokens: readonly Token[] | null): string {
  let text = '';
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text':
      case 'text_special':
      case 'code_inline':
      case 'math_inline':
        text += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += ' ';
        break;
      default:
        break;
    }
  }
  return text.replace(/\s+/g, ' ').trim();
}
