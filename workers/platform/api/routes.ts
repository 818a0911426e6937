/**
 * The management JSON API under /api/: the dashboard's operations for
 * programs. Errors are `{error, message}` with the right status (the shared
 * error mapping); README.md "Management API" documents every call.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import type { Env } from '../env.ts';
import { deleteAccountFor, listSessionsFor, revokeSessionFor, wikiFatesSchema } from '../manage/account.ts';
import { platformOverview, requirePlatformAdmin } from '../manage/admin-overview.ts';
import { listConnectionsFor, revokeConnectionFor } from '../manage/connections.ts';
import { requireSession } from '../manage/manager.ts';
import { addMemberFor, changeRoleFor, listMembersFor, removeMemberFor, roleSchema } from '../manage/members.ts';
import { listTokensFor, mintTokenFor, newTokenSchema, revokeTokenFor } from '../manage/tokens.ts';
import { createWikiFor, deleteWikiFor, getWikiFor, listMyWikis, newWikiSchema, transferWikiFor, updateWikiFor, wikiPatchSchema } from '../manage/wikis.ts';
import type { PlatformContext, PlatformVariables } from '../session.ts';
import { apiManager } from './api-auth.ts';
import { connectionJson, memberJson, sessionJson, tokenJson, wikiJson } from './json.ts';

export const api = new Hono<{ Bindings: Env; Variables: PlatformVariables }>();

/** The JSON body, checked against `schema`; anything but JSON is refused. */
async function body<S extends z.ZodType>(c: PlatformContext, schema: S, what: string): Promise<z.output<S>> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) throw new AppError('invalid', 'Send a JSON body with content-type: application/json.');
  let data: unknown;
  try {
    data = await c.req.json();
  } catch {
    throw new AppError('invalid', 'The body is not valid JSON.');
  }
  return parseOrThrow(schema, data, what);
}

/** The optional JSON body of a DELETE (some clients send none: then the query carries the same fields). */
async function optionalBody(c: PlatformContext): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return {};
  try {
    const data: unknown = await c.req.json();
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    throw new AppError('invalid', 'The body is not valid JSON.');
  }
}

const slugOf = (c: PlatformContext): string => c.req.param('slug') ?? '';

api.get('/me', async (c) => {
  const m = await apiManager(c, null);
  const s = requireSession(m, 'read the account');
  return c.json({ did: s.did, handle: s.handle, display_name: s.displayName, is_platform_admin: s.isPlatformAdmin, session_id: s.sessionId, csrf_token: s.csrf });
});

// ---- wikis ----------------------------------------------------------------

api.get('/wikis', async (c) => {
  const wikis = await listMyWikis(await apiManager(c, null));
  return c.json({ wikis: wikis.map((w) => wikiJson(c.env.PUBLIC_ORIGIN, w.wiki, w.role, { owner_handle: w.ownerHandle, member_count: w.memberCount })) });
});

api.post('/wikis', async (c) => {
  const m = await apiManager(c, null);
  const wiki = await createWikiFor(m, await body(c, newWikiSchema, 'wiki'));
  return c.json(wikiJson(c.env.PUBLIC_ORIGIN, wiki, 'owner'), 201);
});

api.get('/wikis/:slug', async (c) => {
  const { wiki, role } = await getWikiFor(await apiManager(c, slugOf(c)), slugOf(c));
  return c.json(wikiJson(c.env.PUBLIC_ORIGIN, wiki, role));
});

api.patch('/wikis/:slug', async (c) => {
  const m = await apiManager(c, slugOf(c));
  const { wiki, role } = await updateWikiFor(m, slugOf(c), await body(c, wikiPatchSchema.strict(), 'settings'));
  return c.json(wikiJson(c.env.PUBLIC_ORIGIN, wiki, role));
});

api.delete('/wikis/:slug', async (c) => {
  const m = await apiManager(c, slugOf(c));
  const sent = await optionalBody(c);
  const confirm = typeof sent.confirm === 'string' ? sent.confirm : (c.req.query('confirm') ?? '');
  await deleteWikiFor(m, slugOf(c), confirm);
  return c.body(null, 204);
});

api.post('/wikis/:slug/transfer', async (c) => {
  const m = await apiManager(c, slugOf(c));
  const { to } = await body(c, z.object({ to: z.string() }), 'transfer');
  const { wiki, role } = await transferWikiFor(m, slugOf(c), to);
  return c.json(wikiJson(c.env.PUBLIC_ORIGIN, wiki, role));
});

// ---- members --------------------------------------------------------------

api.get('/wikis/:slug/members', async (c) => {
  const { members } = await listMembersFor(await apiManager(c, slugOf(c)), slugOf(c));
  return c.json({ members: members.map(memberJson) });
});

api.post('/wikis/:slug/members', async (c) => {
  const m = await apiManager(c, slugOf(c));
  const input = await body(c, z.object({ who: z.string(), role: roleSchema }), 'collaborator');
  return c.json(memberJson(await addMemberFor(m, slugOf(c), input.who, input.role)), 201);
});

api.patch('/wikis/:slug/members/:who', async (c) => {
  const m = await apiManager(c, slugOf(c));
  const { role } = await body(c, z.object({ role: roleSchema }), 'role change');
  return c.json(memberJson(await changeRoleFor(m, slugOf(c), c.req.param('who'), role)));
});

api.delete('/wikis/:slug/members/:who', async (c) => {
  await removeMemberFor(await apiManager(c, slugOf(c)), slugOf(c), c.req.param('who'));
  return c.body(null, 204);
});

// ---- personal access tokens -------------------------------------------------

api.get('/wikis/:slug/tokens', async (c) => {
  const { mine, others } = await listTokensFor(await apiManager(c, slugOf(c)), slugOf(c));
  return c.json({ tokens: mine.map(tokenJson), others: others === null ? null : others.map(tokenJson) });
});

api.post('/wikis/:slug/tokens', async (c) => {
  const m = await apiManager(c, slugOf(c));
  const input = await body(c, newTokenSchema.extend({ expires_in_days: newTokenSchema.shape.expires_in_days.default(90) }), 'token');
  const { token, view } = await mintTokenFor(m, slugOf(c), input);
  return c.json({ ...tokenJson(view), token }, 201, { 'cache-control': 'no-store' });
});

api.delete('/wikis/:slug/tokens/:id', async (c) => {
  await revokeTokenFor(await apiManager(c, slugOf(c)), slugOf(c), c.req.param('id'));
  return c.body(null, 204);
});

// ---- connected apps (OAuth grants) --------------------------------------------

api.get('/wikis/:slug/connections', async (c) => {
  const { connections } = await listConnectionsFor(await apiManager(c, slugOf(c)), slugOf(c));
  return c.json({ connections: connections.map(connectionJson) });
});

api.delete('/wikis/:slug/connections/:id', async (c) => {
  await revokeConnectionFor(await apiManager(c, slugOf(c)), slugOf(c), c.req.param('id'));
  return c.body(null, 204);
});

// ---- account ----------------------------------------------------------------

api.get('/account/sessions', async (c) => {
  const { current, sessions } = await listSessionsFor(await apiManager(c, null));
  return c.json({ sessions: sessions.map((s) => sessionJson(s, current)) });
});

api.delete('/account/sessions/:id', async (c) => {
  await revokeSessionFor(await apiManager(c, null), c.req.param('id'));
  return c.body(null, 204);
});

api.delete('/account', async (c) => {
  const m = await apiManager(c, null);
  const input = await body(c, z.object({ confirm: z.string(), wikis: wikiFatesSchema.default({}) }), 'account deletion');
  return c.json(await deleteAccountFor(m, input.confirm, input.wikis));
});

// ---- platform admin -----------------------------------------------------------

api.get('/admin/overview', async (c) => {
  const m = await apiManager(c, null);
  requirePlatformAdmin(m);
  const o = await platformOverview(m.db);
  return c.json({
    counts: o.counts,
    disk: o.disk.map((d) => ({ slug: d.slug, owner_handle: d.ownerHandle, pages: d.pages, bytes: d.bytes })),
    errors: o.errors.map((e) => ({ at: new Date(e.at).toISOString(), worker: e.worker, request_id: e.requestId, method: e.method, url: e.url, message: e.message })),
  });
});

api.all('*', () => {
  throw new AppError('not_found', 'There is no such management API call. See the Management API section of the README.');
});
