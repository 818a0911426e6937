/**
 * Fenced code blocks: ```` ```math ```` (one display equation per line), ```` ```mermaid ````
 * (`<pre class="mermaid">` with the source escaped; a literal `\n` becomes a line break as in
 * Otterwiki), and everything else highlighted server-side. A trailing `=` on the language
 * (Otterwiki's line numbers) is accepted and ignored.
 */
import type { MarkdownIt, Token } from 'markdown-it';
import { escapeHtml } from './escape.ts';
import { highlightCode } from './highlight.ts';
import { mathHtml } from './math.ts';
import { renderState, type RenderState } from './render-state.ts';

const LANGUAGE_NAME = /^[\w#+.-]+$/;

/** The language word of a fence's info string, lowercased, without Otterwiki's trailing `=`. */
export function fenceLanguage(info: string): string {
  const word = info.trim().split(/\s+/)[0] ?? '';
  return word.replace(/=$/, '').toLowerCase();
}

function codeHtml(code: string, lang: string): string {
  if (!LANGUAGE_NAME.test(lang)) return `<pre><code>${escapeHtml(code)}</code></pre>\n`;
  const highlighted = highlightCode(code, lang);
  if (highlighted === null) return `<pre><code class="language-${lang}">${escapeHtml(code)}</code></pre>\n`;
  return `<pre><code class="hljs language-${lang}">${highlighted}</code></pre>\n`;
}

function fenceHtml(token: Token, lang: string, state: RenderState): string {
  if (lang === 'math') {
    state.needs.math = true;
    return token.content
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => mathHtml(line.trim(), true, true))
      .join('');
  }
  if (lang === 'mermaid') {
    state.needs.mermaid = true;
    return `<pre class="mermaid">${escapeHtml(token.content.replace(/\\n/g, '<br/>').trim())}</pre>\n`;
  }
  return codeHtml(token.content, lang);
}

/** Replaces the fence renderer. */
export function codeBlocks(md: MarkdownIt): void {
  md.renderer.rules['fence'] = (tokens, idx, _options, env): string => {
    const token = tokens[idx]!;
    return fenceHtml(token, fenceLanguage(md.utils.unescapeAll(token.info)), renderState(env));
  };
}
