/**
 * The REST API, `/api/v1` on each wiki host. JSON in and out; errors are
 * `{ error: <stable code>, message, … }` (a conflict also carries
 * `current_revision`). Routes follow robot.wtf's API so existing clients work.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import { authorOf, wikiRequest, type Env, type WikiContext } from '../context.ts';
import { pageKeyOrThrow } from '../pages/page-name.ts';
import { deletePage, listAttachments, listPages, pageHistory, putPage, readPage, recentChanges } from '../service/pages.ts';

const limitSchema = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const listQuery = z.object({
  prefix: z.string().max(512).optional(),
  category: z.string().max(200).optional(),
  tag: z.string().max(200).optional(),
  updated_since: z.iso.datetime({ offset: true, local: true }).or(z.iso.date()).optional(),
  limit: limitSchema(1000, 100),
  cursor: z.string().max(600).optional(),
});

const putBody = z.object({
  content: z.string({ error: "the body must include 'content' (a string)" }),
  revision: z.string().optional(),
  commit_message: z.string().max(2000).optional(),
});

const deleteBody = z.object({ commit_message: z.string().max(2000).optional(), revision: z.string().optional() }).default({});

async function jsonBody(c: WikiContext): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid', 'The request body is not valid JSON.');
  }
}

/** `/api/v1/pages/<key>[/history]`: the key may contain `/`, so the suffix is matched by hand. */
function pagePath(c: WikiContext): { key: string; suffix: 'history' | 'attachments' | null } {
  let rest: string;
  try {
    rest = decodeURIComponent(new URL(c.req.url).pathname.slice('/api/v1/pages/'.length));
  } catch {
    throw new AppError('invalid', 'The page path is not valid percent-encoded UTF-8.');
  }
  for (const suffix of ['history', 'attachments'] as const) {
    if (c.req.method === 'GET' && rest.endsWith(`/${suffix}`)) return { key: pageKeyOrThrow(rest.slice(0, -suffix.length - 1)), suffix };
  }
  return { key: pageKeyOrThrow(rest), suffix: null };
}

export const api = new Hono<{ Bindings: Env }>();

api.get('/api/v1/pages', async (c) => {
  const q = parseOrThrow(listQuery, c.req.query(), 'query');
  const { repo } = await wikiRequest(c, 'read');
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

api.get('/api/v1/pages/*', async (c) => {
  const { key, suffix } = pagePath(c);
  const { repo } = await wikiRequest(c, 'read');
  if (suffix === 'history') {
    const limit = parseOrThrow(limitSchema(500, 50), c.req.query('limit'), 'limit');
    return c.json({ path: key, history: await pageHistory(repo, key, { limit }) });
  }
  if (suffix === 'attachments') return c.json({ path: key, attachments: await listAttachments(repo, key) });
  const revision = c.req.query('revision');
  return c.json(await readPage(repo, key, revision || undefined));
});

api.put('/api/v1/pages/*', async (c) => {
  const { key } = pagePath(c);
  const { repo, caller } = await wikiRequest(c, 'write');
  const body = parseOrThrow(putBody, await jsonBody(c), 'body');
  const result = await putPage(repo, c.env.APEX, key, {
    content: body.content,
    ...(body.revision ? { baseRevision: body.revision } : {}),
    ...(body.commit_message ? { message: body.commit_message } : {}),
    author: authorOf(caller, c.env.APEX),
  });
  return c.json(result, result.created ? 201 : 200);
});

api.delete('/api/v1/pages/*', async (c) => {
  const { key } = pagePath(c);
  const { repo, caller } = await wikiRequest(c, 'write');
  const body = parseOrThrow(deleteBody, await jsonBody(c), 'body');
  const result = await deletePage(repo, c.env.APEX, key, {
    author: authorOf(caller, c.env.APEX),
    ...(body.commit_message ? { message: body.commit_message } : {}),
    ...(body.revision ? { baseRevision: body.revision } : {}),
  });
  return c.json({ deleted: true, ...result });
});

api.get('/api/v1/changelog', async (c) => {
  const limit = parseOrThrow(limitSchema(500, 50), c.req.query('limit'), 'limit');
  const { repo } = await wikiRequest(c, 'read');
  return c.json({ entries: await recentChanges(repo, limit) });
});
