/**
 * The wiki's Markdown renderer (Otterwiki's dialect), a pure module: no I/O, no globals
 * between calls. `renderMarkdown` gives sanitized HTML, the toc, the linked pages and the title;
 * `splitFrontmatter` and `pageMeta` read a page's YAML frontmatter.
 */
export { pageMeta, splitFrontmatter, type Frontmatter, type PageMeta } from './frontmatter.ts';
export { renderMarkdown } from './render.ts';
export { slugify } from './slugify.ts';
export type { RenderNeeds, RenderOptions, RenderResult, TocEntry } from './types.ts';
