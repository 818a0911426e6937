/** Types for the packages that ship none usable here: three markdown-it plugins and highlight.js languages. */
declare module 'markdown-it-footnote' {
  import type { MarkdownIt } from 'markdown-it';
  const footnote: (md: MarkdownIt) => void;
  export default footnote;
}

declare module 'markdown-it-mark' {
  import type { MarkdownIt } from 'markdown-it';
  const mark: (md: MarkdownIt) => void;
  export default mark;
}

declare module 'markdown-it-abbr' {
  import type { MarkdownIt } from 'markdown-it';
  const abbr: (md: MarkdownIt) => void;
  export default abbr;
}

declare module 'highlight.js/lib/languages/*' {
  const language: (hljs: unknown) => unknown;
  export default language;
}
