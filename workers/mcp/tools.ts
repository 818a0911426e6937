/**
 * The MCP tools of a wiki: robot.wtf's sixteen (same names and parameters,
 * wiki-reference.md §7) plus diff, revert, section replace, append/prepend
 * and broken links. Every tool is one or two calls on the wiki's JS-RPC
 * session; none touches git or SQL. Results are text for models (format.ts);
 * failures are tool errors (`isError`) that say what to do next.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { withClient } from './client-name.ts';
import {
  clip,
  formatAttachments,
  formatBroken,
  formatChanges,
  formatDiff,
  formatError,
  formatHistory,
  formatLinks,
  formatList,
  formatOrphans,
  formatPage,
  formatSearch,
  shortRevision,
  type ErrorHint,
  type RpcErrorLike,
} from './format.ts';
import { formatSemantic } from './semantic-format.ts';
import type { WikiSessionStub } from './session.ts';

/** What every tool call knows besides its arguments. */
export interface ToolContext {
  session: WikiSessionStub;
  /** The calling client's name for commit messages ("Claude Code"), or null. */
  client: string | null;
  /** `https://{slug}.APEX`, for links a person can open. */
  wikiOrigin: string;
}

export type Scope = 'read' | 'write';

interface Annotations {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint: boolean;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  scope: Scope;
  annotations: Annotations;
  input: z.ZodRawShape;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<CallToolResult>;
}

/** Largest page `write_note` sends (robot.wtf's limit; the wiki refuses more than 1 MiB anyway). */
export const MAX_CONTENT_CHARS = 1_000_000;
/** Largest attachment, decoded (the wiki's limit). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Largest binary attachment returned inline as base64 (about 87k characters: within Claude Code's output budget). */
export const MAX_INLINE_BINARY_BYTES = 64 * 1024;
/** Largest image returned as image content. */
export const MAX_INLINE_IMAGE_BYTES = 3_750_000;
/** Largest text attachment returned as text. */
export const MAX_INLINE_TEXT_BYTES = 80_000;

const READ: Annotations = { readOnlyHint: true, openWorldHint: false };
const write = (destructive: boolean, idempotent: boolean): Annotations => ({ readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: false });

function define<S extends z.ZodRawShape>(def: Omit<ToolDefinition, 'input' | 'run'> & { input: S; run(args: z.output<z.ZodObject<S>>, ctx: ToolContext): Promise<CallToolResult> }): ToolDefinition {
  return def as unknown as ToolDefinition;
}

function text(t: string): CallToolResult {
  return { content: [{ type: 'text', text: t }] };
}

function failure(t: string): CallToolResult {
  return { content: [{ type: 'text', text: t }], isError: true };
}

type Answer<T> = { ok: true; value: T } | { ok: false; error: RpcErrorLike };

/** Runs one session call: its value through `ok`, its error as a tool error with the hint's next step. */
async function answer<T>(call: Promise<Answer<T>>, ok: (value: T) => CallToolResult | string | Promise<CallToolResult | string>, context: { path?: string; hint?: ErrorHint } = {}): Promise<CallToolResult> {
  const r = await call;
  if (!r.ok) return failure(formatError(r.error, context));
  const out = await ok(r.value);
  return typeof out === 'string' ? text(out) : out;
}

/** Optional string parameters: robot.wtf's tools default them to "", which means "not given". */
const opt = (description: string) => z.string().optional().describe(description);
const given = (s: string | undefined): string | undefined => (s && s.trim() !== '' ? s : undefined);
const clamp = (n: number | undefined, min: number, max: number, fallback: number) => (n === undefined || !Number.isFinite(n) ? fallback : Math.min(max, Math.max(min, Math.round(n))));

const PATH = z.string().min(1).max(1024).describe('Page path, e.g. "Projects/Plan" ("/" for folders; spaces and underscores are the same; case-sensitive).');
const REVISION = opt('The revision you read (from read_note), full or at least 7 characters. If the page changed since, the call fails with a conflict that gives the current revision.');
const COMMIT_MESSAGE = opt('Short commit message saying why (optional).');

/** Page path → the form commit messages show (what the wiki's own default messages use). */
function shownPath(path: string): string {
  return path.trim().replace(/^\/+|\/+$/g, '').replace(/\.md$/, '').replace(/ /g, '_');
}

/** The commit message of a write: the caller's, else the wiki's default, naming the client. */
function message(given: string | undefined, fallback: string, ctx: ToolContext): string {
  return withClient(given?.trim() || fallback, ctx.client, 2000);
}

function decodeBase64(input: string): Uint8Array<ArrayBuffer> | null {
  const b64 = input.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) return null;
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

function encodeBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

const TEXT_MIME = /^(text\/|application\/(json|xml|yaml|x-yaml|javascript|toml)\b)|\+(json|xml)$/;

function attachmentUrl(ctx: ToolContext, path: string, filename: string): string {
  return `${ctx.wikiOrigin}/api/v1/pages/${shownPath(path).split('/').map(encodeURIComponent).join('/')}/attachments/${encodeURIComponent(filename)}`;
}

export const TOOLS: ToolDefinition[] = [
  define({
    name: 'read_note',
    title: 'Read a page',
    description:
      'Read a wiki page: its title, path, current revision, frontmatter summary, links, then its full Markdown (frontmatter included). ' +
      'Pass `revision` (from get_history) to read an old version, or `section` (a heading title or path such as "Background > Details") to read only that section. ' +
      'Keep the revision: write and edit tools take it to make sure nobody changed the page in between.',
    scope: 'read',
    annotations: READ,
    input: { path: PATH, revision: opt('Read the page as of this revision (a commit id or a prefix of 7+ characters; see get_history).'), section: opt('Only this section: a heading title, or a path of titles separated by " > ".') },
    async run({ path, revision, section }, ctx) {
      const asked = given(revision);
      const r = await ctx.session.readPage(path, { ...(asked ? { revision: asked } : {}), ...(given(section) ? { section: section! } : {}) });
      if (!r.ok) return failure(formatError(r.error, { path, hint: asked && r.error.message.startsWith('No revision') ? 'revision' : 'page' }));
      let current: string | null = null;
      if (asked) {
        const h = await ctx.session.history(path, { limit: 1 });
        current = h.ok ? (h.value[0]?.revision ?? null) : null;
      }
      return text(formatPage(r.value, { currentRevision: current, ...(asked ? { asked } : {}) }));
    },
  }),
  define({
    name: 'write_note',
    title: 'Create or overwrite a page',
    description:
      'Create a page, or replace a page\'s whole content. Content is Markdown, optionally starting with YAML frontmatter (title, category, tags). ' +
      'To overwrite an existing page, pass the `revision` you got from read_note; without it, or if the page changed since, the call fails and tells you the current revision. ' +
      'For small changes prefer edit_note, replace_section, append_note or prepend_note.',
    scope: 'write',
    annotations: write(true, true),
    input: { path: PATH, content: z.string().describe('The whole page as Markdown (optionally with YAML frontmatter).'), revision: REVISION, commit_message: COMMIT_MESSAGE },
    async run({ path, content, revision, commit_message }, ctx) {
      if (content.length > MAX_CONTENT_CHARS) return failure(`Too large: a page may have at most ${MAX_CONTENT_CHARS.toLocaleString('en-US')} characters (this one has ${content.length.toLocaleString('en-US')}). Split it into several pages.`);
      const base = given(revision);
      return answer(
        ctx.session.putPage(path, { content, ...(base ? { revision: base } : {}), message: message(commit_message, `${base ? 'Update' : 'Create'} ${shownPath(path)}`, ctx) }),
        (v) => {
          if (v.created) return `Created ${v.path} (revision: ${v.revision})`;
          if (base && v.revision.startsWith(base)) return `No change: ${v.path} already has this content (revision: ${v.revision})`;
          return `Updated ${v.path} (revision: ${v.revision})`;
        },
        { path, hint: 'page' },
      );
    },
  }),
  define({
    name: 'edit_note',
    title: 'Replace text in a page',
    description:
      'Replace one exact piece of text in a page (matched against the full content, frontmatter included). `old_string` must occur exactly once: include enough surrounding text to make it unique. ' +
      'An empty `new_string` deletes the text. Pass the `revision` from read_note so a concurrent change is detected.',
    scope: 'write',
    annotations: write(false, false),
    input: {
      path: PATH,
      revision: REVISION,
      old_string: z.string().min(1).describe('The exact text to replace; must match exactly once.'),
      new_string: z.string().describe('The replacement text ("" deletes old_string).'),
      commit_message: COMMIT_MESSAGE,
    },
    async run({ path, revision, old_string, new_string, commit_message }, ctx) {
      const base = given(revision);
      return answer(
        ctx.session.editPage(path, { kind: 'replace', oldString: old_string, newString: new_string }, { ...(base ? { revision: base } : {}), message: message(commit_message, `Edit ${shownPath(path)}`, ctx) }),
        (v) => (v.changed ? `Edited ${v.path} (revision: ${v.revision})` : `No change: ${v.path} already reads that way (revision: ${v.revision})`),
        { path, hint: 'page' },
      );
    },
  }),
  define({
    name: 'replace_section',
    title: 'Replace a section of a page',
    description:
      'Replace the body of one section (from its heading to the next heading of the same or a higher level, subsections included), named by heading title or path ("Background > Details"). ' +
      'The heading line stays unless keep_heading is false; repeating the heading at the top of `content` does not duplicate it.',
    scope: 'write',
    annotations: write(true, true),
    input: {
      path: PATH,
      section: z.string().min(1).max(500).describe('Heading title, or a path of titles separated by " > ".'),
      content: z.string().describe('New Markdown for the section.'),
      keep_heading: z.boolean().optional().describe('Keep the section\'s heading line (default true). With false, `content` replaces the heading too.'),
      revision: REVISION,
      commit_message: COMMIT_MESSAGE,
    },
    async run({ path, section, content, keep_heading, revision, commit_message }, ctx) {
      const base = given(revision);
      return answer(
        ctx.session.editPage(path, { kind: 'section', section, content, keepHeading: keep_heading ?? true }, { ...(base ? { revision: base } : {}), message: message(commit_message, `Edit section of ${shownPath(path)}`, ctx) }),
        (v) => (v.changed ? `Replaced section "${section}" of ${v.path} (revision: ${v.revision})` : `No change: section "${section}" of ${v.path} already reads that way (revision: ${v.revision})`),
        { path, hint: 'page' },
      );
    },
  }),
  define({
    name: 'append_note',
    title: 'Append to a page',
    description:
      'Add Markdown at the end of a page, or at the end of one section (before its next heading) when `section` is given. Separated from what is there by a blank line; no need to read the page first.',
    scope: 'write',
    annotations: write(false, false),
    input: { path: PATH, content: z.string().min(1).describe('Markdown to add.'), section: opt('Append at the end of this section (heading title or path) instead of the page.'), revision: REVISION, commit_message: COMMIT_MESSAGE },
    async run({ path, content, section, revision, commit_message }, ctx) {
      const base = given(revision);
      const where = given(section);
      return answer(
        ctx.session.editPage(path, { kind: 'append', text: content, ...(where ? { section: where } : {}) }, { ...(base ? { revision: base } : {}), message: message(commit_message, `Append to ${shownPath(path)}`, ctx) }),
        (v) => `Appended to ${where ? `section "${where}" of ` : ''}${v.path} (revision: ${v.revision})`,
        { path, hint: 'page' },
      );
    },
  }),
  define({
    name: 'prepend_note',
    title: 'Prepend to a page',
    description:
      'Add Markdown at the start of a page (after its frontmatter and title heading), or at the start of one section (after its heading) when `section` is given.',
    scope: 'write',
    annotations: write(false, false),
    input: { path: PATH, content: z.string().min(1).describe('Markdown to add.'), section: opt('Prepend at the start of this section (heading title or path) instead of the page.'), revision: REVISION, commit_message: COMMIT_MESSAGE },
    async run({ path, content, section, revision, commit_message }, ctx) {
      const base = given(revision);
      const where = given(section);
      return answer(
        ctx.session.editPage(path, { kind: 'prepend', text: content, ...(where ? { section: where } : {}) }, { ...(base ? { revision: base } : {}), message: message(commit_message, `Prepend to ${shownPath(path)}`, ctx) }),
        (v) => `Prepended to ${where ? `section "${where}" of ` : ''}${v.path} (revision: ${v.revision})`,
        { path, hint: 'page' },
      );
    },
  }),
  define({
    name: 'list_notes',
    title: 'List pages',
    description: 'List pages with their metadata, by path. Filters combine (AND): path prefix, frontmatter category, tag, changed since a date. Long lists come in pages: pass the returned cursor for more.',
    scope: 'read',
    annotations: READ,
    input: {
      prefix: opt('Only pages whose path starts with this, e.g. "Projects/".'),
      category: opt('Only pages with this frontmatter category (letter case ignored).'),
      tag: opt('Only pages with this frontmatter tag (letter case ignored).'),
      updated_since: opt('Only pages changed since this ISO 8601 date or time, e.g. "2026-03-01".'),
      limit: z.number().optional().describe('How many pages to list (1–500, default 100).'),
      cursor: opt('From a previous answer\'s "cursor=…", to continue the list.'),
    },
    async run({ prefix, category, tag, updated_since, limit, cursor }, ctx) {
      const f = { prefix: given(prefix), category: given(category), tag: given(tag), updated_since: given(updated_since) };
      const c = given(cursor);
      return answer(
        ctx.session.listPages({
          ...(f.prefix ? { prefix: f.prefix.replace(/\/+$/, '') || f.prefix } : {}),
          ...(f.category ? { category: f.category } : {}),
          ...(f.tag ? { tag: f.tag } : {}),
          ...(f.updated_since ? { updatedSince: f.updated_since } : {}),
          ...(c ? { cursor: c } : {}),
          limit: clamp(limit, 1, 500, 100),
        }),
        (v) => formatList(v.pages, f, v.nextCursor),
      );
    },
  }),
  define({
    name: 'search_notes',
    title: 'Search pages by words',
    description: 'Full-text keyword search over titles and content, best matches first, with a snippet of each. Words are matched as typed (prefixes and phrases in quotes work as in a search box).',
    scope: 'read',
    annotations: READ,
    input: { query: z.string().min(1).max(500).describe('Words to look for.'), limit: z.number().optional().describe('How many results (1–100, default 20).'), offset: z.number().optional().describe('Skip this many results (for the next page of results).') },
    async run({ query, limit, offset }, ctx) {
      const off = clamp(offset, 0, 10_000, 0);
      return answer(ctx.session.search(query, { limit: clamp(limit, 1, 100, 20), offset: off }), (v) => formatSearch(query, v.total, v.results, off));
    },
  }),
  define({
    name: 'semantic_search',
    title: 'Search pages by meaning',
    description:
      'Finds passages by meaning, not just exact words ("how do we deploy" finds a section on releases), ranked together with keyword matches. Each result is a whole passage of a page with its heading path (give it to read_note as section to read the whole section), its place in the page, the revision it was read from and its scores. When meaning-based search is off or still being built, it says so and returns keyword results instead.',
    scope: 'read',
    annotations: READ,
    input: {
      query: z.string().min(1).max(500).describe('What to look for, in your own words.'),
      n: z.number().optional().describe('How many passages (1–50, default 5).'),
      max_chunks_per_page: z.number().optional().describe('Most passages from one page (1–10, default 2).'),
    },
    async run({ query, n, max_chunks_per_page }, ctx) {
      return answer(ctx.session.semanticSearch(query, { n: clamp(n, 1, 50, 5), maxChunksPerPage: clamp(max_chunks_per_page, 1, 10, 2) }), (v) => formatSemantic(v));
    },
  }),
  define({
    name: 'get_links',
    title: 'Links of a page',
    description: 'The pages a page links to, and the pages that link to it (backlinks).',
    scope: 'read',
    annotations: READ,
    input: { path: PATH },
    async run({ path }, ctx) {
      return answer(ctx.session.links(path), (v) => formatLinks(v.path, v), { path, hint: 'page' });
    },
  }),
  define({
    name: 'get_recent_changes',
    title: 'Recent changes',
    description: 'The latest changes to the wiki, newest first: when, who, which pages, the commit message and revision (for get_diff or revert_change).',
    scope: 'read',
    annotations: READ,
    input: { limit: z.number().optional().describe('How many changes (1–200, default 20).') },
    async run({ limit }, ctx) {
      return answer(ctx.session.recentChanges({ limit: clamp(limit, 1, 200, 20) }), (v) => formatChanges(v));
    },
  }),
  define({
    name: 'get_history',
    title: 'History of a page',
    description: 'The revisions of a page, newest first, with author, date and message. Use a revision with read_note(revision=…) to read that version, or get_diff to compare.',
    scope: 'read',
    annotations: READ,
    input: { path: PATH, limit: z.number().optional().describe('How many revisions (1–200, default 10).') },
    async run({ path, limit }, ctx) {
      return answer(ctx.session.history(path, { limit: clamp(limit, 1, 200, 10) }), (v) => formatHistory(shownPath(path), v), { path, hint: 'page' });
    },
  }),
  define({
    name: 'get_diff',
    title: 'Compare revisions of a page',
    description: 'A unified diff of a page between two revisions. Without revisions: the page\'s last change. With only from_revision: from it to the current version.',
    scope: 'read',
    annotations: READ,
    input: { path: PATH, from_revision: opt('Older revision (default: the one before to_revision).'), to_revision: opt('Newer revision (default: the current one).') },
    async run({ path, from_revision, to_revision }, ctx) {
      const from = given(from_revision);
      const to = given(to_revision);
      return answer(ctx.session.diff(path, { ...(from ? { from } : {}), ...(to ? { to } : {}) }), (v) => formatDiff(v.path, v), { path, hint: 'revision' });
    },
  }),
  define({
    name: 'find_orphaned_notes',
    title: 'Pages nothing links to',
    description: 'Pages that no other page links to (the home page excepted): candidates to link from somewhere.',
    scope: 'read',
    annotations: READ,
    input: {},
    async run(_args, ctx) {
      return answer(ctx.session.orphans(), (v) => formatOrphans(v));
    },
  }),
  define({
    name: 'find_broken_links',
    title: 'Links to missing pages',
    description: 'Links that point to pages that do not exist, with the pages that contain them.',
    scope: 'read',
    annotations: READ,
    input: {},
    async run(_args, ctx) {
      return answer(ctx.session.brokenLinks(), (v) => formatBroken(v));
    },
  }),
  define({
    name: 'rename_note',
    title: 'Rename or move a page',
    description: 'Rename or move a page together with its attachments; links to it in other pages are rewritten, all in one commit.',
    scope: 'write',
    annotations: write(false, false),
    input: { path: PATH, new_path: z.string().min(1).max(1024).describe('The new path.'), revision: REVISION, commit_message: COMMIT_MESSAGE },
    async run({ path, new_path, revision, commit_message }, ctx) {
      const base = given(revision);
      return answer(
        ctx.session.renamePage(path, new_path, { ...(base ? { revision: base } : {}), message: message(commit_message, `Rename ${shownPath(path)} to ${shownPath(new_path)}`, ctx) }),
        (v) =>
          `Renamed ${v.old_path} -> ${v.new_path} (revision: ${v.revision})\n` +
          (v.updated_pages.length ? `Updated links in ${v.updated_pages.length} pages:\n${v.updated_pages.map((p) => `  - ${p}`).join('\n')}` : 'No other page needed its links updated.') +
          (v.unchanged_pages.length ? `\nStill linking to the old name (not UTF-8 text, left as it is; edit by hand):\n${v.unchanged_pages.map((p) => `  - ${p}`).join('\n')}` : ''),
        { path, hint: 'page' },
      );
    },
  }),
  define({
    name: 'delete_note',
    title: 'Delete a page',
    description: 'Delete a page and its attachments. It stays in the git history (revert_change can bring it back). Confirm with the user before calling.',
    scope: 'write',
    annotations: write(true, true),
    input: { path: PATH, revision: REVISION, commit_message: COMMIT_MESSAGE },
    async run({ path, revision, commit_message }, ctx) {
      const base = given(revision);
      return answer(
        ctx.session.deletePage(path, { ...(base ? { revision: base } : {}), message: message(commit_message, `Delete ${shownPath(path)}`, ctx) }),
        (v) =>
          `Deleted ${v.path} (revision: ${v.revision})` +
          (v.attachments.length ? `\nAlso deleted its attachments: ${v.attachments.join(', ')}` : '') +
          `\nTo undo: revert_change(revision="${v.revision}").`,
        { path, hint: 'page' },
      );
    },
  }),
  define({
    name: 'revert_change',
    title: 'Undo a change',
    description:
      'Undo one commit (a revision from get_recent_changes or get_history) with a new commit. Refused when later changes touched the same files: undo those first. Confirm with the user before calling.',
    scope: 'write',
    annotations: write(true, false),
    input: { revision: z.string().min(7).max(64).describe('The revision (commit) to undo.'), commit_message: COMMIT_MESSAGE },
    async run({ revision, commit_message }, ctx) {
      return answer(
        ctx.session.revert(revision, { message: message(commit_message, `Revert ${revision.slice(0, 7)}`, ctx) }),
        (v) => `Reverted ${shortRevision(v.reverted)} (new revision: ${v.revision})${v.changed.length ? `\nChanged: ${v.changed.join(', ')}` : '\nNothing needed to change.'}`,
        { hint: 'revision' },
      );
    },
  }),
  define({
    name: 'list_attachments',
    title: 'List the attachments of a page',
    description: 'The files attached to a page: names, sizes, types and dates.',
    scope: 'read',
    annotations: READ,
    input: { path: PATH },
    async run({ path }, ctx) {
      return answer(ctx.session.listAttachments(path), (v) => formatAttachments(shownPath(path), v), { path, hint: 'page' });
    },
  }),
  define({
    name: 'upload_attachment',
    title: 'Attach a file to a page',
    description: 'Attach a file (base64) to an existing page, or replace the attachment of the same name. At most 10 MB. The name is made safe (ASCII letters, digits, "_", "-", "."); link it from the page as ![](/Page_Path/filename) or [name](/Page_Path/filename).',
    scope: 'write',
    annotations: write(true, true),
    input: { path: PATH, filename: z.string().min(1).max(300).describe('File name, e.g. "diagram.png".'), content: z.string().describe('The file\'s bytes, base64-encoded.'), commit_message: COMMIT_MESSAGE },
    async run({ path, filename, content, commit_message }, ctx) {
      const bytes = decodeBase64(content);
      if (!bytes) return failure('Invalid request: content must be base64 (A–Z, a–z, 0–9, "+", "/", "=" padding).');
      if (bytes.byteLength > MAX_ATTACHMENT_BYTES) return failure(`Too large: an attachment may be at most 10 MB (this one has ${bytes.byteLength.toLocaleString('en-US')} bytes).`);
      return answer(
        ctx.session.putAttachment(path, { filename, bytes, message: message(commit_message, `Attach ${filename} to ${shownPath(path)}`, ctx) }),
        (v) => `Uploaded ${v.filename} to ${shownPath(path)} (${v.size} bytes, ${v.mime_type}; revision: ${v.revision})${v.filename !== filename ? `\nStored as "${v.filename}" (names are made safe).` : ''}`,
        { path, hint: 'page' },
      );
    },
  }),
  define({
    name: 'download_attachment',
    title: 'Read an attachment',
    description:
      'Read a file attached to a page. Images come back as images, text files as text, small other files as base64; files too large for a tool answer are described with their download address instead.',
    scope: 'read',
    annotations: READ,
    input: { path: PATH, filename: z.string().min(1).max(300).describe('The attachment\'s name (see list_attachments).') },
    async run({ path, filename }, ctx) {
      return answer(
        ctx.session.readAttachment(path, filename),
        (v): CallToolResult | string => {
          const size = v.bytes.byteLength;
          const head = `Downloaded ${v.filename} (${size} bytes, ${v.mime_type})`;
          if (v.mime_type.startsWith('image/') && v.mime_type !== 'image/svg+xml' && size <= MAX_INLINE_IMAGE_BYTES) {
            return { content: [{ type: 'text', text: head }, { type: 'image', data: encodeBase64(v.bytes), mimeType: v.mime_type }] };
          }
          if ((TEXT_MIME.test(v.mime_type) || v.mime_type === 'image/svg+xml') && size <= MAX_INLINE_TEXT_BYTES) {
            const decoded = new TextDecoder().decode(v.bytes);
            return `${head}\nContent (text):\n${clip(decoded, 'The file is too long to show whole.')}`;
          }
          if (size <= MAX_INLINE_BINARY_BYTES) return `${head}\nContent (base64):\n${encodeBase64(v.bytes)}`;
          return (
            `${head}\nThe file is too large to return in a tool answer (more than ${MAX_INLINE_BINARY_BYTES / 1024} KB as base64). ` +
            `It can be downloaded at ${attachmentUrl(ctx, path, v.filename)} (needs the wiki's credentials; add ?format=base64 for JSON).`
          );
        },
        { path, hint: 'attachment' },
      );
    },
  }),
  define({
    name: 'delete_attachment',
    title: 'Delete an attachment',
    description: 'Delete a file attached to a page. It stays in the git history. Confirm with the user before calling.',
    scope: 'write',
    annotations: write(true, true),
    input: { path: PATH, filename: z.string().min(1).max(300).describe('The attachment\'s name (see list_attachments).'), commit_message: COMMIT_MESSAGE },
    async run({ path, filename, commit_message }, ctx) {
      return answer(
        ctx.session.deleteAttachment(path, filename, { message: message(commit_message, `Delete attachment ${filename} of ${shownPath(path)}`, ctx) }),
        (v) => `Deleted attachment ${v.filename} from ${shownPath(path)} (revision: ${v.revision})`,
        { path, hint: 'attachment' },
      );
    },
  }),
];

export const WRITE_TOOL_NAMES: ReadonlySet<string> = new Set(TOOLS.filter((t) => t.scope === 'write').map((t) => t.name));

/** The tools a credential with these scopes may use. */
export function toolsFor(canWrite: boolean): ToolDefinition[] {
  return TOOLS.filter((t) => t.scope === 'read' || canWrite);
}

export { text as textResult, failure as toolError };
