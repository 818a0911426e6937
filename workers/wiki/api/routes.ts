/**
 * The REST API, `/api/v1` on each wiki host. JSON in and out; errors are
 * `{ error: <stable code>, message, … }` (conflicts carry `current_revision`).
 * Paths and fields follow robot.wtf's API so existing clients keep working.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import { authorOf } from '../context.ts';
import { apiRequest, type ApiContext, type ApiEnv } from './api-request.ts';
import { acceptsJson, cachedReads } from './read-cache.ts';
import { pageKeyOrThrow } from '../pages/page-name.ts';
import { deleteAttachment, listAttachments, MAX_ATTACHMENT_BYTES, putAttachment, readAttachment } from '../service/attachments.ts';
import { brokenLinks, orphanPages, pageLinksOf } from '../service/links.ts';
import { deletePage } from '../service/delete-page.ts';
import { checkRevision, listPages, pageHistory, putPage, readPage, recentChanges } from '../service/pages.ts';
import { DEFAULT_BLAME_REVISIONS, MAX_BLAME_REVISIONS, pageBlame } from '../service/blame.ts';
import { editPage, type PageEdit } from '../service/edit-page.ts';
import { readSection, unifiedDiff } from '../edit/index.ts';
import { pageVersions } from '../service/page-at.ts';
import { renamePage } from '../service/rename.ts';
import { revertCommit } from '../service/revert.ts';
import { searchPages } from '../search/search-pages.ts';
import { snippetToText } from '../search/snippet.ts';
import { attachmentResponse } from './attachment-response.ts';
import { PAGES_PREFIX, parsePagePath } from './page-path.ts';

const limitSchema = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const message = z.string().max(2000).optional();

const listQuery = z.object({
  prefix: z.string().max(512).optional(),
  category: z.string().max(200).optional(),
  tag: z.string().max(200).optional(),
  updated_since: z.iso.datetime({ offset: true, local: true }).or(z.iso.date()).optional(),
  limit: limitSchema(1000, 100),
  cursor: z.string().max(600).optional(),
});
const putBody = z.object({ content: z.string({ error: "the body must include 'content' (a string)" }), revision: z.string().optional(), commit_message: message });
const deleteBody = z.object({ commit_message: message, revision: z.string().optional() }).default({});
const EDIT_KINDS = ['old_string', 'content', 'append', 'prepend'] as const;
const ONE_EDIT = 'send exactly one edit: {old_string, new_string} | {section, content} | {append} | {prepend} (with optional revision and commit_message)';
const patchBody = z
  .unknown()
  // A body with two edits ({append, prepend}) is refused, not half applied.
  .refine((body) => typeof body !== 'object' || body === null || EDIT_KINDS.filter((k) => k in body).length <= 1, { error: ONE_EDIT })
  // A find-and-replace works on the whole page: with a section it would not do what it says.
  .refine((body) => typeof body !== 'object' || body === null || !('old_string' in body && 'section' in body), { error: 'old_string replaces across the whole page; send it without section' })
  .pipe(
    z.union([
      z.object({ old_string: z.string(), new_string: z.string(), revision: z.string().optional(), commit_message: message }),
      z.object({ section: z.string().min(1), content: z.string(), keep_heading: z.boolean().default(true), revision: z.string().optional(), commit_message: message }),
      z.object({ append: z.string(), section: z.string().optional(), revision: z.string().optional(), commit_message: message }),
      z.object({ prepend: z.string(), section: z.string().optional(), revision: z.string().optional(), commit_message: message }),
    ], { error: ONE_EDIT }),
  );

function pageEdit(body: z.output<typeof patchBody>): PageEdit {
  if ('old_string' in body) return { kind: 'replace', oldString: body.old_string, newString: body.new_string };
  if ('content' in body) return { kind: 'section', section: body.section, content: body.content, keepHeading: body.keep_heading };
  if ('append' in body) return { kind: 'append', text: body.append, ...(body.section ? { section: body.section } : {}) };
  return { kind: 'prepend', text: body.prepend, ...(body.section ? { section: body.section } : {}) };
}

const blameQuery = z.object({ revision: z.string().max(40).optional(), limit: limitSchema(MAX_BLAME_REVISIONS, DEFAULT_BLAME_REVISIONS) });
const renameBody = z.object({ new_path: z.string({ error: "the body must include 'new_path'" }).min(1), commit_message: message, revision: z.string().optional() });
const uploadBody = z.object({ filename: z.string().min(1).max(300), content: z.base64({ error: 'content must be base64' }), commit_message: message });
const revertBody = z.object({ revision: z.string({ error: "the body must include 'revision'" }), commit_message: message });

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

async function jsonBody(c: ApiContext): Promise<unknown> {
  let text: string;
  try {
    text = strictUtf8.decode(await c.req.arrayBuffer());
  } catch {
    // Decoded leniently, the bad bytes would be stored as U+FFFD: a change nobody asked for.
    throw new AppError('invalid', 'The request body is not valid UTF-8.');
  }
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid', 'The request body is not valid JSON.');
  }
}

function fromBase64(b64: string): Uint8Array {
  const approx = Math.floor((b64.length * 3) / 4);
  if (approx > MAX_ATTACHMENT_BYTES + 3) throw new AppError('too_large', `An attachment may be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function pathTail(c: ApiContext, prefix: string): string {
  try {
    return decodeURIComponent(new URL(c.req.url).pathname.slice(prefix.length));
  } catch {
    throw new AppError('invalid', 'The path is not valid percent-encoded UTF-8.');
  }
}

export const api = new Hono<ApiEnv>();

api.use('/api/v1/*', cachedReads);

api.get('/api/v1/pages', async (c) => {
  const q = parseOrThrow(listQuery, c.req.query(), 'query');
  const { repo } = await apiRequest(c, 'read');
  const { pages, next } = await listPages(repo, {
    ...(q.prefix ? { prefix: pageKeyOrThrow(q.prefix) } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.tag ? { tag: q.tag } : {}),
    ...(q.updated_since ? { updatedSince: Date.parse(q.updated_since) } : {}),
    ...(q.cursor ? { after: q.cursor } : {}),
    limit: q.limit,
  });
  return c.json({ pages, next_cursor: next });
});

api.on(['GET', 'PUT', 'PATCH', 'DELETE', 'POST'], `${PAGES_PREFIX}*`, async (c) => {
  // HEAD is a GET without the body (Hono sends it here; the runtime drops the body).
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  const target = parsePagePath(new URL(c.req.url).pathname, method);
  const { repo, caller } = await apiRequest(c, method === 'GET' ? 'read' : 'write');
  const apex = c.env.APEX;
  switch (target.action) {
    case 'history': {
      const limit = parseOrThrow(limitSchema(500, 50), c.req.query('limit'), 'limit');
      return c.json({ path: target.key, history: await pageHistory(repo, target.key, { limit }) });
    }
    case 'diff': {
      const v = await pageVersions(repo, target.key, { from: c.req.query('from'), to: c.req.query('to') });
      const diff = unifiedDiff(v.from.page?.content ?? '', v.to.page?.content ?? '', { oldLabel: `${target.key}@${v.from.revision?.slice(0, 7) ?? 'none'}`, newLabel: `${target.key}@${v.to.revision.slice(0, 7)}` });
      return c.json({ path: target.key, from: v.from.page?.revision ?? v.from.revision, to: v.to.page?.revision ?? v.to.revision, diff });
    }
    case 'blame': {
      const q = parseOrThrow(blameQuery, c.req.query(), 'query');
      return c.json(await pageBlame(repo, target.key, { ...(q.revision ? { revision: checkRevision(q.revision) } : {}), limit: q.limit }));
    }
    case 'rename': {
      const body = parseOrThrow(renameBody, await jsonBody(c), 'body');
      const result = await renamePage(repo, apex, target.key, pageKeyOrThrow(body.new_path), {
        author: authorOf(caller, apex),
        ...(body.commit_message ? { message: body.commit_message } : {}),
        ...(body.revision ? { baseRevision: body.revision } : {}),
      });
      return c.json(result);
    }
    case 'attachments': {
      if (method === 'GET') return c.json({ path: target.key, attachments: await listAttachments(repo, target.key) });
      const body = parseOrThrow(uploadBody, await jsonBody(c), 'body');
      const result = await putAttachment(repo, apex, target.key, { filename: body.filename, bytes: fromBase64(body.content), author: authorOf(caller, apex), ...(body.commit_message ? { message: body.commit_message } : {}) });
      return c.json({ path: target.key, ...result }, 201);
    }
    case 'attachment': {
      if (method === 'DELETE') {
        const body = parseOrThrow(deleteBody, await jsonBody(c), 'body');
        return c.json({ deleted: true, ...(await deleteAttachment(repo, apex, target.key, target.name, { author: authorOf(caller, apex), ...(body.commit_message ? { message: body.commit_message } : {}) })) });
      }
      const file = await readAttachment(repo, target.key, target.name);
      if (c.req.query('format') === 'base64' || acceptsJson(c.req.header('accept'))) {
        return c.json({ filename: file.filename, size: file.bytes.byteLength, mime_type: file.mime_type, revision: file.revision, content: toBase64(file.bytes) });
      }
      const bytes = attachmentResponse(file.bytes, file.filename, file.mime_type);
      bytes.headers.set('vary', 'Accept');
      return bytes;
    }
    case 'page': {
      if (method === 'GET') {
        const page = await readPage(repo, target.key, c.req.query('revision') || undefined);
        const section = c.req.query('section');
        return c.json(section ? { ...page, section, content: readSection(page.content, section) } : page);
      }
      if (method === 'PATCH') {
        const body = parseOrThrow(patchBody, await jsonBody(c), 'body');
        return c.json(await editPage(repo, apex, target.key, pageEdit(body), { author: authorOf(caller, apex), ...(body.commit_message ? { message: body.commit_message } : {}), ...(body.revision ? { baseRevision: body.revision } : {}) }));
      }
      if (method === 'DELETE') {
        const body = parseOrThrow(deleteBody, await jsonBody(c), 'body');
        const result = await deletePage(repo, apex, target.key, { author: authorOf(caller, apex), ...(body.commit_message ? { message: body.commit_message } : {}), ...(body.revision ? { baseRevision: body.revision } : {}) });
        return c.json({ deleted: true, ...result });
      }
      if (method === 'PUT') {
        const body = parseOrThrow(putBody, await jsonBody(c), 'body');
        const result = await putPage(repo, apex, target.key, {
          content: body.content,
          ...(body.revision ? { baseRevision: body.revision } : {}),
          ...(body.commit_message ? { message: body.commit_message } : {}),
          author: authorOf(caller, apex),
        });
        return c.json(result, result.created ? 201 : 200);
      }
      throw new AppError('invalid', `${method} is not used on a page; use GET, PUT, PATCH or DELETE.`);
    }
  }
});

api.get('/api/v1/links/*', async (c) => {
  const key = pageKeyOrThrow(pathTail(c, '/api/v1/links/'));
  const { repo } = await apiRequest(c, 'read');
  return c.json(await pageLinksOf(repo, key));
});

api.get('/api/v1/orphans', async (c) => {
  const { repo } = await apiRequest(c, 'read');
  return c.json({ pages: await orphanPages(repo) });
});

api.get('/api/v1/broken-links', async (c) => {
  const { repo } = await apiRequest(c, 'read');
  return c.json({ links: await brokenLinks(repo) });
});

api.get('/api/v1/changelog', async (c) => {
  const limit = parseOrThrow(limitSchema(500, 50), c.req.query('limit'), 'limit');
  const { repo } = await apiRequest(c, 'read');
  return c.json({ entries: await recentChanges(repo, limit) });
});

const searchQuery = z.object({ q: z.string({ error: "the query parameter 'q' is required" }).max(500), limit: limitSchema(100, 20), offset: z.coerce.number().int().min(0).max(10_000).default(0) });

api.get('/api/v1/search', async (c) => {
  const q = parseOrThrow(searchQuery, c.req.query(), 'query');
  const { repo, head } = await apiRequest(c, 'read');
  const found = await searchPages(repo, repo.wiki.id, q.q, { limit: q.limit, offset: q.offset, head });
  return c.json({ query: q.q, total: found.total, results: found.results.map((r) => ({ path: r.path, name: r.title, snippet: snippetToText(r.snippet), score: r.score })) });
});

api.post('/api/v1/revert', async (c) => {
  const { repo, caller } = await apiRequest(c, 'write');
  const body = parseOrThrow(revertBody, await jsonBody(c), 'body');
  return c.json(await revertCommit(repo, c.env.APEX, body.revision, { author: authorOf(caller, c.env.APEX), ...(body.commit_message ? { message: body.commit_message } : {}) }));
});

api.all('/api/v1/*', () => {
  throw new AppError('not_found', 'No such API route. See the README for /api/v1.');
});
