/**
 * What the index keeps of one page file: title, frontmatter, links (as page
 * keys) and the text to search. Pure: the caller reads the blob.
 */
import { normalizePageName } from '../pages/page-name.ts';
import { displayTitle } from '../pages/page-files.ts';
import { pageMeta, renderMarkdown, splitFrontmatter } from '../render/index.ts';

export interface PageDocument {
  title: string;
  frontmatter: Record<string, unknown> | null;
  category: string | null;
  tags: string[];
  /** Page keys this page links to (valid names only, no duplicates, not itself). */
  links: string[];
  /** Markdown without frontmatter: what full-text search reads. */
  body: string;
}

/** Resolves a link target the way page names resolve: `#anchor` dropped, leading `/` dropped. */
export function linkTargetKey(target: string): string | null {
  const withoutAnchor = target.split('#')[0]!.trim().replace(/^\/+/, '');
  if (!withoutAnchor) return null;
  let decoded = withoutAnchor;
  try {
    decoded = decodeURIComponent(withoutAnchor);
  } catch {
    // keep it as typed
  }
  const r = normalizePageName(decoded);
  return r.ok ? r.key : null;
}

export function pageDocument(key: string, text: string): PageDocument {
  const fm = splitFrontmatter(text);
  const meta = pageMeta(fm.data);
  // The renderer finds links exactly as pages show them (`./Sub` is `key/Sub`); existence does not matter here.
  const rendered = renderMarkdown(fm.body, { pageExists: () => true, linkHref: (name) => `/${encodeURI(name)}`, currentPage: key });
  const links = new Set<string>();
  for (const target of rendered.links) {
    const k = linkTargetKey(target);
    if (k && k !== key) links.add(k);
  }
  return {
    title: meta.title ?? rendered.title ?? displayTitle(key),
    frontmatter: fm.data,
    category: meta.category ?? null,
    tags: meta.tags,
    links: [...links],
    body: fm.body,
  };
}
