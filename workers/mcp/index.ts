/**
 * mcp worker: the MCP endpoint of every wiki host, `/mcp` and `/mcp/` (no
 * redirect between them). Stateless Streamable HTTP: each POST gets a fresh
 * SDK server and transport; GET and DELETE are 405. The caller's bearer
 * token opens a session on the wiki over JS-RPC (`WIKI.open`), which checks
 * it against that wiki; every tool is a call on that session, so this worker
 * never touches git or SQL. Its health proves both bindings answer.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'hono';
import type { Role } from '../../db/schema.ts';
import { classifyHost } from '../lib/hosts.ts';
import { scopesForRole } from '../lib/roles.ts';
import { createWorkerApp } from '../lib/worker/app.ts';
import type { BaseEnv } from '../lib/worker/env.ts';
import { healthReport, healthResponse, runCheck, type HealthReport, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';
import type { OAuthRpc } from '../oauth/index.ts';
import type { WikiRpc } from '../wiki/index.ts';
import { clientName } from './client-name.ts';
import { WIKI_OAUTH_SCOPES, wikiOrigin, wikiResourceMetadataUrl } from '../lib/wiki-urls.ts';
import { bearerChallenge, bearerToken, insufficientScopeChallenge, originAllowed, responseMode, TRANSPORT_ACCEPT } from './http.ts';
import { buildServer, type WikiFacts } from './server.ts';
import type { WikiSessionStub } from './session.ts';
import { WRITE_TOOL_NAMES } from './tools.ts';

export interface Env extends BaseEnv {
  WIKI: Service<WikiRpc>;
  OAUTH: Service<OAuthRpc>;
}

/** Largest request body: the gateway's limit for `/mcp` (a 10 MB attachment as base64 is about 13.4 MB); the SDK's default is 4 MiB. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Stands in for a missing token when asking whether the wiki exists: no verifier accepts it (it has no token prefix). */
const NO_CREDENTIALS = 'none';

type RpcErrorValue = { code: string; status: number; message: string; details?: Record<string, unknown> };
type Opened = { ok: true; value: WikiSessionStub } | { ok: false; error: RpcErrorValue };

async function expectHealthy(report: Promise<HealthReport>): Promise<void> {
  const r = await report;
  if (!r.ok) throw new Error(`${r.worker} reports unhealthy`);
}

/** A JSON-RPC error with no id, as the SDK answers transport-level failures. */
function rpcError(status: number, message: string, headers: Record<string, string> = {}, code = -32000): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

function unauthorized(env: Env, slug: string, invalidToken: boolean, message: string): Response {
  return new Response(JSON.stringify({ error: invalidToken ? 'invalid_token' : 'unauthorized', error_description: message }), {
    status: 401,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'www-authenticate': bearerChallenge(wikiResourceMetadataUrl(env.PUBLIC_ORIGIN, slug), invalidToken),
    },
  });
}

/**
 * A write tool called with a credential that cannot write: HTTP 403 with the
 * step-up challenge (protocols.md §2.9), so an OAuth client can ask for
 * `wiki:write`; the body says why for people and for clients that cannot.
 */
function insufficientScope(env: Env, wiki: WikiFacts, tool: string): Response {
  const role = wiki.role as Role | null;
  const roleWrites = role !== null && scopesForRole(role).includes('write');
  const remedy = roleWrites
    ? 'Authorise this client again with the wiki:write scope, or use a read-write token.'
    : `Your role (${wiki.role ?? 'none'}) cannot write: ask the wiki's owner for write access.`;
  return new Response(JSON.stringify({ error: 'insufficient_scope', error_description: `${tool} writes to "${wiki.title}", and this connection is read-only. ${remedy}`, scope: WIKI_OAUTH_SCOPES.join(' ') }), {
    status: 403,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'www-authenticate': insufficientScopeChallenge(wikiResourceMetadataUrl(env.PUBLIC_ORIGIN, wiki.slug)),
    },
  });
}

/** A JSON answer rewritten as one SSE event per message, for clients that accept only `text/event-stream`. */
async function asEventStream(response: Response): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !type.startsWith('application/json')) return response;
  const body = JSON.parse(await response.text()) as JSONRPCMessage | JSONRPCMessage[];
  const events = (Array.isArray(body) ? body : [body]).map((m) => `event: message\ndata: ${JSON.stringify(m)}\n\n`).join('');
  return new Response(events, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' } });
}

function dispose(session: WikiSessionStub): void {
  try {
    session[Symbol.dispose]?.();
  } catch {
    // Already disposed: nothing to release.
  }
}

async function handleMcp(c: Context<{ Bindings: Env }>): Promise<Response> {
  const request = c.req.raw;
  const env = c.env;
  // GET would open a server-to-client SSE stream that never ends in stateless mode; there are no sessions to DELETE.
  if (request.method !== 'POST') return rpcError(405, 'Method not allowed: this MCP endpoint is stateless and takes POST only.', { allow: 'POST' });

  const host = classifyHost(request.headers.get('host'), env.APEX);
  if (host.kind !== 'wiki') return Response.json({ error: 'not_found', message: 'There is no wiki at this address.' }, { status: 404 });
  const slug = host.slug;
  const origin = wikiOrigin(env.PUBLIC_ORIGIN, slug);
  if (!originAllowed(request.headers.get('origin'), { wiki: origin, apex: new URL(env.PUBLIC_ORIGIN).origin })) {
    return rpcError(403, 'Forbidden: requests from this Origin are not accepted.');
  }

  const token = bearerToken(request.headers.get('authorization'));
  // Without credentials, open with a token no verifier accepts: an unknown wiki answers 404 (as every path of its host does), a real one 401.
  const opened = (await env.WIKI.open(slug, token ?? NO_CREDENTIALS)) as unknown as Opened;
  if (!token) {
    if (!opened.ok && opened.error.status === 404) return Response.json({ error: 'not_found', message: opened.error.message }, { status: 404 });
    if (opened.ok) dispose(opened.value);
    return unauthorized(env, slug, false, 'Authentication required: send "Authorization: Bearer <token>".');
  }
  if (!opened.ok) {
    const e = opened.error;
    if (e.status === 401) return unauthorized(env, slug, true, e.message);
    if (e.status === 404) return Response.json({ error: 'not_found', message: e.message }, { status: 404 });
    const retryAfter = typeof e.details?.retry_after === 'number' ? String(e.details.retry_after) : '5';
    return Response.json({ error: e.code, message: e.message }, { status: e.status, headers: e.status === 503 || e.status === 429 ? { 'retry-after': retryAfter } : {} });
  }
  const session = opened.value;
  try {
    const info = await session.info();
    if (!info.ok) return Response.json({ error: info.error.code, message: info.error.message }, { status: info.error.status });
    const wiki: WikiFacts = { slug, title: info.value.title, role: info.value.role, canWrite: info.value.canWrite, origin };
    const client = clientName({ userAgent: request.headers.get('user-agent') });
    const server = buildServer(wiki, { session, client, wikiOrigin: origin });

    const mode = responseMode(request.headers.get('accept'));
    // Answers are collected as JSON and, for SSE-only clients, sent as events: tools stream nothing, and the session can be released when the answer is ready.
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: MAX_BODY_BYTES });
    await server.connect(transport);

    // A read-only credential does not see the write tools; calling one anyway is never run, and the
    // request is answered 403 insufficient_scope below. The transport still gets an answer for it, to finish.
    const refused: { tool: string | null } = { tool: null };
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      // Only a string names a tool (anything else is the SDK's to refuse as invalid).
      const tool = isJSONRPCRequest(message) && message.method === 'tools/call' ? message.params?.name : undefined;
      if (!wiki.canWrite && isJSONRPCRequest(message) && typeof tool === 'string' && WRITE_TOOL_NAMES.has(tool)) {
        refused.tool = tool;
        void transport.send({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: `Not allowed: this connection is read-only, so ${refused.tool} is not available.` }], isError: true } });
        return;
      }
      deliver?.(message, extra);
    };

    const headers = new Headers(request.headers);
    headers.set('accept', TRANSPORT_ACCEPT);
    const response = await transport.handleRequest(new Request(request, { headers }));
    await server.close();
    if (refused.tool !== null) {
      await response.body?.cancel();
      return insufficientScope(env, wiki, refused.tool);
    }
    return mode === 'sse' ? await asEventStream(response) : response;
  } finally {
    dispose(session);
  }
}

const app = createWorkerApp<{ Bindings: Env }>('mcp');
app.get(WORKER_HEALTH_PATH, async (c) =>
  healthResponse(
    await healthReport('mcp', {
      'wiki-rpc': runCheck(() => expectHealthy(c.env.WIKI.health())),
      'oauth-rpc': runCheck(() => expectHealthy(c.env.OAUTH.health())),
    }),
  ),
);
app.all('/mcp', handleMcp);
app.all('/mcp/', handleMcp);

export default app;
