/**
 * Rewrites links to a renamed page inside another page's Markdown: wikilinks
 * (`[[Page]]`, `[[Title|Page]]`, with `#anchor`), Markdown links and images
 * (`[t](/Page)`, `![](/Page/file.png)`, percent-encoded or with spaces).
 * Text inside code spans and fenced code blocks is left exactly as it is.
 */
import { normalizePageName } from './page-name.ts';

/** True when a link target (without anchor) names page `key`. */
function namesPage(target: string, key: string): boolean {
  let t = target.trim().replace(/^\/+/, '');
  try {
    t = decodeURIComponent(t);
  } catch {
    // as typed
  }
  const r = normalizePageName(t);
  return r.ok && r.key === key;
}

/** How a renamed page is written in a wikilink: with spaces, as people type names. */
function displayName(key: string): string {
  return key.replaceAll('_', ' ');
}

const WIKILINK = /\[\[([^\[\]\n]+?)\]\]/g;
const MD_LINK = /(\]\()(<?)(\/[^)\s>]*)(>?)((?:\s+"[^"]*")?\))/g;

function rewriteProse(text: string, oldKey: string, newKey: string): string {
  const withWikilinks = text.replace(WIKILINK, (whole, inner: string) => {
    const pipe = inner.indexOf('|');
    // Otterwiki's default style: [[Title|Page]]; without a pipe the text is the page.
    const title = pipe >= 0 ? inner.slice(0, pipe) : null;
    const target = pipe >= 0 ? inner.slice(pipe + 1) : inner;
    const hash = target.indexOf('#');
    const page = hash >= 0 ? target.slice(0, hash) : target;
    const anchor = hash >= 0 ? target.slice(hash) : '';
    if (!namesPage(page, oldKey)) return whole;
    const renamed = `${displayName(newKey)}${anchor}`;
    return title !== null ? `[[${title}|${renamed}]]` : `[[${renamed}]]`;
  });
  return withWikilinks.replace(MD_LINK, (whole, open: string, lt: string, href: string, gt: string, close: string) => {
    const [pathPart, ...rest] = href.split('#');
    const anchor = rest.length ? `#${rest.join('#')}` : '';
    const path = pathPart!;
    // The page itself, or a file in its folder (an attachment).
    const segments = path.split('/').filter(Boolean);
    for (let n = segments.length; n >= 1; n--) {
      const head = segments.slice(0, n).join('/');
      if (namesPage(head, oldKey)) {
        const tail = segments.slice(n).join('/');
        return `${open}${lt}/${encodeURI(newKey)}${tail ? `/${tail}` : ''}${anchor}${gt}${close}`;
      }
    }
    return whole;
  });
}

/** Splits Markdown into code (kept verbatim) and prose (rewritten). */
function segments(text: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  const fence = /^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^\1?\2[`~]*[ \t]*$|(?![\s\S]))/gm;
  let last = 0;
  for (const m of text.matchAll(fence)) {
    out.push(...inlineSegments(text.slice(last, m.index)));
    out.push({ code: true, text: m[0] });
    last = m.index + m[0].length;
  }
  out.push(...inlineSegments(text.slice(last)));
  return out;
}

function inlineSegments(text: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  const span = /(`+)[^`]*?\1/g;
  let last = 0;
  for (const m of text.matchAll(span)) {
    out.push({ code: false, text: text.slice(last, m.index) });
    out.push({ code: true, text: m[0] });
    last = m.index + m[0].length;
  }
  out.push({ code: false, text: text.slice(last) });
  return out;
}

/** `text` with every link to page `oldKey` pointing at `newKey` instead. */
export function rewritePageLinks(text: string, oldKey: string, newKey: string): string {
  return segments(text)
    .map((s) => (s.code ? s.text : rewriteProse(s.text, oldKey, newKey)))
    .join('');
}
