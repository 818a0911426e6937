/** YAML frontmatter: the leading `---` block of a page, as Otterwiki's REST API reads it. */
import { parse } from 'yaml';

/** A page split into its frontmatter and the Markdown after it. */
export interface Frontmatter {
  /** The YAML mapping, or null when there is no block, it is not a mapping, or it does not parse. */
  data: Record<string, unknown> | null;
  /** The YAML text of the block (line ends normalised to `\n`), or null when there is no block. */
  raw: string | null;
  /** The Markdown after the block (the whole text when there is none). */
  body: string;
}

/** The meaningful frontmatter keys. */
export interface PageMeta {
  /** The display title. */
  title?: string;
  category?: string;
  /** Tags in order, without repeats. */
  tags: string[];
}

/** Otterwiki's block: `---\s*\n(.*?)\n---\s*\n?` with DOTALL, matched at the start. */
const BLOCK = /^---\s*\n([\s\S]*?)\n---\s*\n?/;

function isMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function parseYamlMapping(raw: string): Record<string, unknown> | null {
  try {
    // YAML 1.2 core schema: no custom tags, nothing executed; duplicate keys allowed (last wins)
    // like PyYAML's safe_load; alias expansion is capped by the library.
    const value: unknown = parse(raw, { uniqueKeys: false, logLevel: 'error', maxAliasCount: 100 });
    return isMapping(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Splits a page into frontmatter and body. Only a page that starts with `---` has
 * frontmatter; CRLF line ends are tolerated. An empty `---\n---` is not a block.
 */
export function splitFrontmatter(text: string): Frontmatter {
  if (!text.startsWith('---')) return { data: null, raw: null, body: text };
  const m = BLOCK.exec(text);
  if (!m) return { data: null, raw: null, body: text };
  const raw = (m[1] ?? '').replace(/\r$/, '').replace(/\r\n?/g, '\n');
  return { data: parseYamlMapping(raw), raw, body: text.slice(m[0].length) };
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim().replace(/^["']+|["']+$/g, '').trim();
    return text === '' ? undefined : text;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function tagList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const tags: string[] = [];
  for (const item of items) {
    const tag = scalarText(item);
    if (tag !== undefined && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/**
 * The keys the wiki uses from frontmatter: `title` and `category` (strings; numbers are
 * accepted), `tags` (a list or a comma-separated string; trimmed, empty ones and repeats dropped).
 */
export function pageMeta(data: Record<string, unknown> | null): PageMeta {
  const meta: PageMeta = { tags: [] };
  if (!data) return meta;
  const title = scalarText(data['title']);
  if (title !== undefined) meta.title = title;
  const category = scalarText(data['category']);
  if (category !== undefined) meta.category = category;
  meta.tags = tagList(data['tags']);
  return meta;
}
