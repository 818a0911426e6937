/** The public shapes of the Markdown renderer: what it needs from the wiki and what it returns. */

/** What the renderer asks the wiki about the pages that wikilinks point to. */
export interface RenderOptions {
  /** True when a page of that name exists (links to missing pages get class `wikilink-missing`). */
  pageExists(name: string): boolean;
  /** The URL of a page (without fragment), e.g. `/Some_Page`; it is checked like any other link. */
  linkHref(name: string): string;
  /**
   * The key of the page being rendered. Markdown links and images starting with `./` resolve
   * under it, as Otterwiki resolves them under the page's address (`./photo.png` on `Notes/Trip`
   * is that page's attachment). Without it they are left as written.
   */
  currentPage?: string;
  /** The URL of attachment `file` of page `page`; without it, `linkHref(page) + '/a/' + file`. */
  attachmentHref?(page: string, file: string): string;
}

/** One heading of the page, in document order. */
export interface TocEntry {
  /** 1 for `#`, … 6 for `######`. */
  level: number;
  /** The heading as plain text (no markup). */
  text: string;
  /** The heading's `id` attribute, Otterwiki style (see `slugify`). */
  id: string;
}

/** Which browser-side renderers the page needs. */
export interface RenderNeeds {
  /** The page has `.math-inline` / `.math-display` elements holding TeX. */
  math: boolean;
  /** The page has `pre.mermaid` diagrams. */
  mermaid: boolean;
}

/** The rendered page. */
export interface RenderResult {
  /** Sanitized HTML, safe to insert into a page. */
  html: string;
  /** Every heading, in document order. */
  toc: TocEntry[];
  /** Target page names of every wikilink and relative Markdown page link (first occurrence order, no duplicates). */
  links: string[];
  /** The first H1 as plain text, else the frontmatter title, else null. */
  title: string | null;
  /** Which browser-side renderers to load for this page. */
  needs: RenderNeeds;
}
