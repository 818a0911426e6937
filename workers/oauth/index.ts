/**
 * oauth worker: the MCP authorization server of every wiki host (issuer
 * `https://{slug}.APEX`): discovery documents, client metadata documents and
 * registration, authorize + consent, token (code and refresh), revocation;
 * and the token-verification RPC the wiki calls for every bearer token
 * (personal access tokens and OAuth access tokens alike, always for one wiki).
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AuthRpc } from '../auth/index.ts';
import type { WikiRpc } from '../wiki/index.ts';
import { clientAddress } from '../lib/client-address.ts';
import { constantTimeEqual, CSRF_FIELD, isSameOrigin } from '../lib/csrf.ts';
import { getRole } from '../lib/directory/members.ts';
import { verifyPersonalAccessToken, type TokenGrant } from '../lib/directory/personal-access-tokens.ts';
import { SESSION_COOKIE } from '../lib/directory/sessions.ts';
import { getWikiBySlug, type Wiki } from '../lib/directory/wikis.ts';
import { AppError } from '../lib/errors.ts';
import { classifyHost } from '../lib/hosts.ts';
import { enforceRate } from '../lib/limits/rate-limit.ts';
import { PAT_PREFIX } from '../lib/tokens.ts';
import { createWorkerApp } from '../lib/worker/app.ts';
import { dbFor } from '../lib/worker/db.ts';
import type { BaseEnv } from '../lib/worker/env.ts';
import { dbCheck, healthReport, healthResponse, type HealthReport, WORKER_HEALTH_PATH } from '../lib/worker/health.ts';
import { AUTHORIZE_FIELDS, LocalAuthorizeError, RedirectAuthorizeError, redirectBack, validateAuthorizeRequest } from './authorize.ts';
import { clientAuthenticates, ClientError, findClient, registerClient, registrationSchema, type KnownClient } from './clients.ts';
import { authorizeErrorPage, consentPage, notMemberPage } from './consent-view.ts';
import { createGrantWithCode, exchangeCode, refreshTokens, revokeToken, verifyAccessToken } from './grants.ts';
import { canonicalResource, wikiIssuer, type WikiIssuer } from './issuer.ts';
import { AS_RATE_RULES } from './limits.ts';
import { authorizationServerMetadata, protectedResourceMetadata } from './metadata.ts';
import { OAuthError } from './oauth-error.ts';
import { grantableScopes, requestedScopes } from './scopes.ts';

export interface Env extends BaseEnv {
  SQLD: Fetcher;
  AUTH: Service<AuthRpc>;
  WIKI: Service<WikiRpc>;
}

type C = Context<{ Bindings: Env }>;

function health(env: Env): Promise<HealthReport> {
  return healthReport('oauth', { sqld: dbCheck(dbFor(env)) });
}

/** The wiki this host names, and its issuer; unknown hosts and wikis are a JSON 404 on every path. */
async function hostWiki(c: C): Promise<{ wiki: Wiki; issuer: WikiIssuer }> {
  const target = classifyHost(c.req.header('host'), c.env.APEX);
  const wiki = target.kind === 'wiki' ? await getWikiBySlug(dbFor(c.env), target.slug) : null;
  if (!wiki) throw new AppError('not_found', 'There is no wiki here.');
  return { wiki, issuer: wikiIssuer(c.env.PUBLIC_ORIGIN, wiki.slug) };
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, Accept, MCP-Protocol-Version',
  'access-control-expose-headers': 'WWW-Authenticate, Retry-After',
  'access-control-max-age': '86400',
};

function json(body: unknown, status = 200, extra: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...CORS_HEADERS, 'cache-control': 'no-store', ...extra } });
}

function oauthErrorResponse(err: OAuthError): Response {
  return json(err.toJSON(), err.status, err.error === 'invalid_client' ? { 'www-authenticate': 'Basic realm="token"' } : {});
}

function htmlPage(body: string, status: number, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      ...extra,
    },
  });
}

function redirect(to: string, status = 302): Response {
  return new Response(null, { status, headers: { location: to, 'cache-control': 'no-store' } });
}

/** The signed-in person on this host (the apex session cookie reaches every wiki host), or null. */
async function sessionOf(c: C) {
  const token = getCookie(c, SESSION_COOKIE);
  return token ? c.env.AUTH.verifySession(token) : null;
}

/** Form fields (the token, register and revoke endpoints take forms; register takes JSON). */
async function formOf(c: C): Promise<Map<string, string>> {
  const body = await c.req.parseBody();
  const fields = new Map<string, string>();
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields.set(k, v);
  return fields;
}

/** Client credentials from Basic auth or the body (client_secret_post). */
function presentedCredentials(c: C, form: Map<string, string>): { clientId: string | null; secret: string | null } {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (basic) {
    const decoded = atob(basic);
    const colon = decoded.indexOf(':');
    if (colon > 0) return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { clientId: form.get('client_id') ?? null, secret: form.get('client_secret') ?? null };
}

async function authenticatedClient(c: C, wiki: Wiki, form: Map<string, string>): Promise<KnownClient> {
  const { clientId, secret } = presentedCredentials(c, form);
  if (!clientId) throw new OAuthError('invalid_client', 'client_id is required.');
  let client: KnownClient;
  try {
    client = await findClient(dbFor(c.env), wiki.id, clientId);
  } catch (err) {
    if (err instanceof ClientError) throw new OAuthError('invalid_client', err.message);
    throw err;
  }
  if (!(await clientAuthenticates(client, secret))) throw new OAuthError('invalid_client', 'The client secret is missing or wrong.');
  return client;
}

async function limit(c: C, rule: (typeof AS_RATE_RULES)[keyof typeof AS_RATE_RULES]): Promise<void> {
  const address = clientAddress(c.req.raw);
  if (address) await enforceRate(dbFor(c.env), rule, `ip:${address}`);
}

const app = createWorkerApp<{ Bindings: Env }>('oauth');
app.get(WORKER_HEALTH_PATH, async (c) => healthResponse(await health(c.env)));

app.options('*', () => new Response(null, { status: 204, headers: CORS_HEADERS }));

app.get('/.well-known/oauth-authorization-server', async (c) => json(authorizationServerMetadata((await hostWiki(c)).issuer), 200, { 'cache-control': 'public, max-age=300' }));
app.get('/.well-known/oauth-protected-resource', async (c) => {
  const { wiki, issuer } = await hostWiki(c);
  return json(protectedResourceMetadata(issuer, wiki, 'root'), 200, { 'cache-control': 'public, max-age=300' });
});
app.get('/.well-known/oauth-protected-resource/*', async (c) => {
  const { wiki, issuer } = await hostWiki(c);
  if (!['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource/mcp/'].includes(c.req.path)) throw new AppError('not_found', 'There is no protected resource here; the MCP endpoint is /mcp.');
  return json(protectedResourceMetadata(issuer, wiki, 'mcp'), 200, { 'cache-control': 'public, max-age=300' });
});

/** Runs the authorization request, answering its errors where they belong. */
async function authorizing(c: C, issuer: WikiIssuer, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof LocalAuthorizeError) return htmlPage(authorizeErrorPage(err.message), 400);
    if (err instanceof RedirectAuthorizeError) return redirect(redirectBack(err.redirectUri, issuer.issuer, { error: err.error, error_description: err.message, state: err.state }), c.req.method === 'POST' ? 303 : 302);
    throw err;
  }
}

/** form-action must allow the redirect after the consent form is posted (browsers apply it to redirects). */
function consentCsp(redirectUri: string): string {
  const target = new URL(redirectUri).origin;
  return `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' ${target}; base-uri 'none'; frame-ancestors 'none'`;
}

app.get('/authorize', async (c) => {
  const { wiki, issuer } = await hostWiki(c);
  await limit(c, AS_RATE_RULES.authorize);
  return authorizing(c, issuer, async () => {
    const db = dbFor(c.env);
    const request = await validateAuthorizeRequest(db, wiki, issuer, new URL(c.req.url).searchParams);
    const session = await sessionOf(c);
    if (!session) {
      const here = new URL(`${issuer.issuer}/authorize`);
      for (const [k, v] of Object.entries(request.fields)) here.searchParams.set(k, v);
      const signIn = new URL('/sign-in', c.env.PUBLIC_ORIGIN);
      signIn.searchParams.set('return_to', here.href);
      return redirect(signIn.href);
    }
    const role = await getRole(db, wiki.id, session.did);
    if (!role) {
      const deny = redirectBack(request.redirectUri, issuer.issuer, { error: 'access_denied', error_description: 'The signed-in person is not a member of this wiki.', state: request.state });
      return htmlPage(notMemberPage(wiki.title, session.handle, deny), 403);
    }
    const scopes = grantableScopes(request.wanted, role);
    const body = consentPage({
      clientName: request.client.name,
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      wikiHost: new URL(issuer.issuer).host,
      wikiTitle: wiki.title,
      handle: session.handle,
      scopes,
      narrowed: scopes.length < request.wanted.length,
      fields: { ...request.fields, redirect_uri: request.redirectUri },
      csrf: session.csrf,
    });
    return htmlPage(body, 200, { 'content-security-policy': consentCsp(request.redirectUri) });
  });
});

app.post('/authorize', async (c) => {
  const { wiki, issuer } = await hostWiki(c);
  await limit(c, AS_RATE_RULES.authorize);
  const form = await formOf(c);
  return authorizing(c, issuer, async () => {
    if (!isSameOrigin(c.req.raw, issuer.issuer)) throw new LocalAuthorizeError('This consent was sent from another site.');
    const db = dbFor(c.env);
    const request = await validateAuthorizeRequest(db, wiki, issuer, form);
    const session = await sessionOf(c);
    if (!session || !constantTimeEqual(form.get(CSRF_FIELD) ?? '', session.csrf)) throw new LocalAuthorizeError('The consent form expired or was not sent by this wiki. Go back to the application and connect again.');
    if (form.get('decision') !== 'approve') {
      return redirect(redirectBack(request.redirectUri, issuer.issuer, { error: 'access_denied', error_description: 'The person declined.', state: request.state }), 303);
    }
    const role = await getRole(db, wiki.id, session.did);
    const scopes = role ? grantableScopes(request.wanted, role) : [];
    if (scopes.length === 0) throw new RedirectAuthorizeError(request.redirectUri, request.state, 'access_denied', 'The signed-in person may not use this wiki.');
    const code = await createGrantWithCode(db, { wikiId: wiki.id, userDid: session.did, client: request.client, redirectUri: request.redirectUri, scopes, resource: request.resource, codeChallenge: request.codeChallenge });
    return redirect(redirectBack(request.redirectUri, issuer.issuer, { code, state: request.state }), 303);
  });
});

app.post('/token', async (c) => {
  const { wiki, issuer } = await hostWiki(c);
  try {
    await limit(c, AS_RATE_RULES.token);
    const form = await formOf(c);
    const client = await authenticatedClient(c, wiki, form);
    const db = dbFor(c.env);
    const resourceParam = form.get('resource');
    const resource = resourceParam ? canonicalResource(resourceParam, issuer) : null;
    if (resourceParam && !resource) throw new OAuthError('invalid_target', `resource must be this wiki's MCP URL, ${issuer.resource}.`);
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      const redirectUri = form.get('redirect_uri');
      const codeVerifier = form.get('code_verifier');
      if (!code || !redirectUri || !codeVerifier) throw new OAuthError('invalid_request', 'code, redirect_uri and code_verifier are required.');
      return json(await exchangeCode(db, { wikiId: wiki.id, client, code, redirectUri, codeVerifier, resource }));
    }
    if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token');
      if (!refreshToken) throw new OAuthError('invalid_request', 'refresh_token is required.');
      const scope = form.get('scope');
      return json(await refreshTokens(db, { wikiId: wiki.id, client, refreshToken, scopes: scope ? requestedScopes(scope) : null, resource }));
    }
    throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
  } catch (err) {
    if (err instanceof OAuthError) {
      // A replayed code or refresh token revoked its grant: the wiki must stop honouring it now, not in a second.
      if (err.error === 'invalid_grant') await c.env.WIKI.forgetDirectory();
      return oauthErrorResponse(err);
    }
    throw err;
  }
});

app.post('/register', async (c) => {
  const { wiki } = await hostWiki(c);
  try {
    await limit(c, AS_RATE_RULES.register);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new OAuthError('invalid_client_metadata', 'The registration must be a JSON object.');
    }
    const parsed = registrationSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new OAuthError(issue.path[0] === 'redirect_uris' ? 'invalid_redirect_uri' : 'invalid_client_metadata', `${issue.path.join('.')}: ${issue.message}`);
    }
    if (!parsed.data.grant_types.includes('authorization_code')) throw new OAuthError('invalid_client_metadata', 'grant_types must include authorization_code.');
    const r = await registerClient(dbFor(c.env), wiki.id, parsed.data);
    return json({ client_id: r.clientId, client_id_issued_at: Math.floor(r.issuedAt / 1000), ...(r.clientSecret ? { client_secret: r.clientSecret, client_secret_expires_at: 0 } : {}), ...r.metadata }, 201);
  } catch (err) {
    if (err instanceof OAuthError) return oauthErrorResponse(err);
    throw err;
  }
});

app.post('/revoke', async (c) => {
  const { wiki } = await hostWiki(c);
  try {
    const form = await formOf(c);
    await authenticatedClient(c, wiki, form);
    const token = form.get('token');
    if (!token) throw new OAuthError('invalid_request', 'token is required.');
    await revokeToken(dbFor(c.env), wiki.id, token);
    await c.env.WIKI.forgetDirectory();
    return json({}, 200);
  } catch (err) {
    if (err instanceof OAuthError) return oauthErrorResponse(err);
    throw err;
  }
});

export default app;

export class OAuthRpc extends WorkerEntrypoint<Env> {
  health(): Promise<HealthReport> {
    return health(this.env);
  }

  /** What a bearer token presented to wiki `slug` grants, or null: a token for another wiki grants nothing. */
  verifyToken(slug: string, token: string): Promise<TokenGrant | null> {
    const db = dbFor(this.env);
    return token.startsWith(PAT_PREFIX) ? verifyPersonalAccessToken(db, slug, token) : verifyAccessToken(db, slug, token);
  }
}
