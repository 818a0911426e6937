/** The part of highlight.js core the renderer uses (see highlight-core.js for why this exists). */

/** A language definition module from `highlight.js/lib/languages/*`. */
export type LanguageFn = (hljs: unknown) => unknown;

export interface HighlightResult {
  /** Escaped HTML with `<span class="hljs-…">` markup. */
  value: string;
}

export interface HighlightCore {
  registerLanguage(name: string, language: LanguageFn): void;
  getLanguage(name: string): object | undefined;
  highlight(code: string, options: { language: string; ignoreIllegals?: boolean }): HighlightResult;
}

declare const hljs: HighlightCore;
export default hljs;
