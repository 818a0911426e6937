/**
 * Tool results as models read them: short Markdown-ish text, revisions where
 * the next call needs them, errors that say what to do next, and outputs
 * clipped to what Claude's clients accept (Claude Code ~25k tokens,
 * Claude.ai ~150k characters; protocols.md §3). Pure functions over the wiki
 * session's answers.
 */

/** Most characters a tool's text may have: under Claude Code's 25k-token default for typical Markdown. */
export const MAX_OUTPUT_CHARS = 80_000;

export interface RpcErrorLike {
  code: string;
  status: number;
  message: string;
  details?: Record<string, unknown>;
}

export interface PageLike {
  path: string;
  name: string;
  category: string | null;
  tags: string[];
  revision: string;
  updated_at: string;
  updated_by: string;
  content: string;
  frontmatter: Record<string, unknown> | null;
  links_to: string[];
  linked_from: string[];
  section?: string;
}

export interface PageSummaryLike {
  path: string;
  name: string;
  category: string | null;
  tags: string[];
  size: number;
  revision: string;
  updated_at: string;
  updated_by: string;
}

export interface HistoryLike {
  revision: string;
  change: string;
  author: string;
  date: string;
  message: string;
}

export interface SearchHitLike {
  path: string;
  name: string;
  snippet: string;
  score: number;
}

export interface AttachmentLike {
  filename: string;
  size: number;
  mime_type: string;
  revision: string;
  updated_at: string;
}

/** A revision as lists show it: long enough to be unique, short enough for long lists (any prefix of 7+ works). */
export function shortRevision(revision: string): string {
  return revision.slice(0, 12);
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function minute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** Clips `text` to the output budget, saying what was left out and how to get it. */
export function clip(text: string, how: string, max = MAX_OUTPUT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n\n[… clipped: showing ${max.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters. ${how}]`;
}

/** `last_updated` → "Last Updated": frontmatter keys as a model reads them best. */
function titleKey(key: string): string {
  return key.replace(/_/g, ' ').replace(/\b\p{Ll}/gu, (c) => c.toUpperCase());
}

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(valueText).filter(Boolean).join(', ');
  if (value === null || value === undefined || value === false || value === '') return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One line summarising the frontmatter (everything but `title`), or null. */
export function frontmatterLine(frontmatter: Record<string, unknown> | null): string | null {
  if (!frontmatter) return null;
  const parts = Object.entries(frontmatter)
    .filter(([k]) => k !== 'title')
    .map(([k, v]) => [titleKey(k), valueText(v)] as const)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`);
  return parts.length ? parts.join(' | ') : null;
}

/**
 * ATX headings outside fenced code, as `A > B` paths: what a model can pass
 * as `section` when a page is too long to read whole.
 */
export function sectionPaths(markdown: string): string[] {
  const out: string[] = [];
  const stack: { level: number; title: string }[] = [];
  let fence: { char: string; length: number } | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      const run = f[1]!;
      if (!fence) fence = { char: run[0]!, length: run.length };
      else if (run[0] === fence.char && run.length >= fence.length && line.trim() === run) fence = null;
      continue;
    }
    if (fence) continue;
    const h = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (!h) continue;
    const level = h[1]!.length;
    const title = h[2]!.trim();
    while (stack.length && stack.at(-1)!.level >= level) stack.pop();
    stack.push({ level, title });
    if (title) out.push(stack.map((s) => s.title).join(' > '));
  }
  return out;
}

/** `read_note`'s answer: a header with the page's facts and revision, then the raw content (frontmatter included). */
export function formatPage(page: PageLike, options: { currentRevision?: string | null; asked?: string } = {}): string {
  const lines = [`# ${page.name}`, `Path: ${page.path}`];
  if (options.asked) {
    lines.push(`Revision: ${page.revision} (the page as of revision ${options.asked}; an old version, read-only)`);
    if (options.currentRevision) lines.push(`Current revision: ${options.currentRevision} (pass this one to write or edit the page)`);
  } else {
    lines.push(`Revision: ${page.revision}`);
  }
  // At an old revision the index knows only the current version's date and author.
  if (!options.asked) lines.push(`Last change: ${minute(page.updated_at)} by ${page.updated_by}`);
  if (page.section !== undefined) lines.push(`Section: ${page.section}`);
  const fm = frontmatterLine(page.frontmatter);
  if (fm) lines.push(fm);
  if (page.section === undefined) {
    if (page.links_to.length) lines.push(`Links to: ${page.links_to.join(', ')}`);
    if (page.linked_from.length) lines.push(`Linked from: ${page.linked_from.join(', ')}`);
  }
  const head = `${lines.join('\n')}\n\n---\n`;
  const budget = MAX_OUTPUT_CHARS - head.length;
  if (page.content.length <= budget) return head + page.content;
  const sections = sectionPaths(page.content);
  const listing = sections.length
    ? ` Read the rest one section at a time with read_note(path="${page.path}", section=…). Sections:\n${sections.slice(0, 200).map((s) => `  - ${s}`).join('\n')}`
    : ' The page has no headings to read it by section.';
  return head + clip(page.content, `The page is too long for one answer.${listing}`, Math.max(budget - 200 - Math.min(listing.length, 20_000), 10_000));
}

function metaOf(p: PageSummaryLike): string {
  const parts: string[] = [];
  if (p.name && p.name !== p.path.split('/').at(-1)!.replace(/_/g, ' ')) parts.push(`title: ${p.name}`);
  if (p.category) parts.push(`category: ${p.category}`);
  if (p.tags.length) parts.push(`tags: ${p.tags.join(', ')}`);
  parts.push(`${p.size} bytes`, `updated ${day(p.updated_at)} by ${p.updated_by}`);
  return parts.join(', ');
}

export function formatList(pages: PageSummaryLike[], filters: { prefix?: string; category?: string; tag?: string; updated_since?: string }, nextCursor: string | null): string {
  const set = [
    filters.prefix ? `prefix=${filters.prefix}` : '',
    filters.category ? `category=${filters.category}` : '',
    filters.tag ? `tag=${filters.tag}` : '',
    filters.updated_since ? `updated since ${filters.updated_since}` : '',
  ].filter(Boolean);
  const more = nextCursor !== null;
  const header = `Found ${pages.length}${more ? '+' : ''} notes${set.length ? ` matching ${set.join(', ')}` : ''}:`;
  if (!pages.length) return `${header}\n\n(no notes)`;
  const body = pages.map((p) => `- ${p.path} (${metaOf(p)})`).join('\n');
  const tail = more ? `\n\nMore notes follow: call list_notes again with the same filters and cursor="${nextCursor}".` : '';
  return clip(`${header}\n\n${body}${tail}`, 'Narrow the list with prefix, category or tag, or page through it with limit and cursor.');
}

export function formatSearch(query: string, total: number, hits: SearchHitLike[], offset: number): string {
  const header = `${total} results for "${query}":`;
  if (!hits.length) return total > 0 ? `${header}\n\n(no results from offset ${offset})` : `${header}\n\nNothing matched. Try other or fewer words, or list_notes to browse.`;
  const body = hits.map((h, i) => `${offset + i + 1}. ${h.path} (score: ${h.score.toFixed(2)})\n   ${h.snippet.replace(/\s+/g, ' ').trim()}`).join('\n\n');
  const shown = offset + hits.length;
  const tail = shown < total ? `\n\nShowing ${offset + 1}–${shown} of ${total}; call again with offset=${shown} for more.` : '';
  return clip(`${header}\n\n${body}${tail}`, 'Ask for fewer results (limit).');
}

export function formatHistory(path: string, entries: HistoryLike[]): string {
  if (!entries.length) return `No history for ${path}. Check the path with list_notes.`;
  const body = entries.map((e) => `- ${shortRevision(e.revision)} | ${minute(e.date)} | ${e.author} | ${e.change}\n  ${e.message.split('\n')[0]}`).join('\n');
  return clip(`History of ${path} (${entries.length} revisions, newest first):\n\n${body}\n\nRead an old version with read_note(path, revision=…); compare two with get_diff.`, 'Ask for fewer revisions (limit).');
}

export function formatChanges(entries: (HistoryLike & { pages: string[] })[]): string {
  if (!entries.length) return 'No changes yet.';
  const body = entries
    .map((e) => `- ${minute(e.date)} | ${e.author} | ${e.pages.length ? e.pages.join(', ') : '(attachments or other files)'} | revision ${shortRevision(e.revision)}\n  ${e.message.split('\n')[0]}`)
    .join('\n');
  return clip(`${entries.length} recent changes (newest first):\n\n${body}`, 'Ask for fewer changes (limit).');
}

export function formatLinks(path: string, links: { links_to: string[]; linked_from: string[] }): string {
  const list = (xs: string[]) => (xs.length ? xs.map((x) => `  - ${x}`).join('\n') : '  (none)');
  return clip(`Links for ${path}:\n\nLinks to (${links.links_to.length}):\n${list(links.links_to)}\n\nLinked from (${links.linked_from.length}):\n${list(links.linked_from)}`, 'The page has too many links to show at once.');
}

export function formatOrphans(paths: string[]): string {
  if (!paths.length) return 'No orphaned notes found. All pages have at least one incoming link.';
  return clip(`Found ${paths.length} orphaned notes (no incoming links from any other page):\n\n${paths.map((p) => `- ${p}`).join('\n')}`, 'Too many to show at once.');
}

export function formatBroken(links: { src: string; dst: string }[]): string {
  if (!links.length) return 'No broken links: every link points to an existing page.';
  const byTarget = new Map<string, string[]>();
  for (const l of links) byTarget.set(l.dst, [...(byTarget.get(l.dst) ?? []), l.src]);
  const body = [...byTarget].map(([dst, srcs]) => `- ${dst} (linked from ${srcs.join(', ')})`).join('\n');
  return clip(
    `Found ${links.length} links to ${byTarget.size} pages that do not exist:\n\n${body}\n\nCreate a missing page with write_note, or fix the links with edit_note.`,
    'Too many to show at once.',
  );
}

export function formatAttachments(path: string, files: AttachmentLike[]): string {
  if (!files.length) return `Attachments of ${path} (0):\n\n  (no attachments)`;
  return clip(
    `Attachments of ${path} (${files.length}):\n\n${files.map((f) => `- ${f.filename} (${f.size} bytes, ${f.mime_type}, updated ${day(f.updated_at)})`).join('\n')}`,
    'Too many to show at once.',
  );
}

export function formatDiff(path: string, d: { from: string | null; to: string; diff: string }): string {
  const from = d.from ? shortRevision(d.from) : '(nothing: the page did not exist)';
  if (!d.diff.trim()) return `No differences in ${path} between ${from} and ${shortRevision(d.to)}.`;
  return clip(`Diff of ${path} from ${from} to ${shortRevision(d.to)}:\n\n\`\`\`diff\n${d.diff.replace(/\n$/, '')}\n\`\`\``, 'Compare closer revisions, or read the versions with read_note(revision=…).');
}

/** What the next step is when a call fails, per tool family. */
export type ErrorHint = 'page' | 'attachment' | 'revision' | 'none';

/**
 * A wiki error as a tool error text: what happened, the current revision
 * when there is a conflict, and what to do next.
 */
export function formatError(error: RpcErrorLike, context: { path?: string; hint?: ErrorHint } = {}): string {
  const d = error.details ?? {};
  const current = typeof d.current_revision === 'string' ? d.current_revision : null;
  switch (error.code) {
    case 'conflict': {
      if (current) {
        const target = context.path ?? 'the page';
        return (
          `Conflict: ${error.message}\nCurrent revision of ${target}: ${current}\n` +
          `Read the page again with read_note to see what changed, then repeat your change with revision="${current}".`
        );
      }
      // A refused revert names the files in its message.
      return `Conflict: ${error.message}`;
    }
    case 'not_found': {
      const next =
        context.hint === 'attachment'
          ? 'Use list_attachments to see the files of the page.'
          : context.hint === 'revision'
            ? 'Use get_history or get_recent_changes to find revisions.'
            : context.hint === 'page'
              ? 'Use list_notes or search_notes to find the right path, or write_note to create the page.'
              : '';
      // Section errors already list the sections to choose from.
      if (d.reason === 'section_not_found') return error.message;
      return `${/not found/i.test(error.message) ? '' : 'Not found: '}${error.message}${next ? `\n${next}` : ''}`;
    }
    case 'invalid':
      return `Invalid request: ${error.message}`;
    case 'forbidden':
      return `Not allowed: ${error.message}`;
    case 'unauthorized':
      return `Not authorized: ${error.message} Reconnect this MCP server with a valid token.`;
    case 'too_large':
      return `Too large: ${error.message}`;
    case 'rate_limited': {
      const wait = typeof d.retry_after === 'number' ? ` Try again in ${d.retry_after} seconds.` : ' Wait a minute, then try again.';
      return `Too many writes: ${error.message}${error.message.includes('again') ? '' : wait}`;
    }
    default:
      return `Wiki error (${error.status}): ${error.message} The wiki may be busy or restarting; try again in a few seconds.`;
  }
}
