/**
 * Claude's way in: the MCP SDK's own client with its OAuth client provider
 * against the running stack — 401 → discovery → registration (DCR, and
 * separately a Client ID Metadata Document) → consent as a signed-in member
 * → code → token → tools → access-token expiry → refresh → continue — and
 * the authorization server's hostile cases: code replay, refresh replay, a
 * viewer granting write, a non-member, other wikis' tokens, bad resources,
 * unregistered redirects, SSRF client ids.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { eq, sql } from 'drizzle-orm';
import { oauthGrants, oauthTokens } from '../../db/schema.ts';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { setMember } from '../../workers/lib/directory/members.ts';
import { upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki } from '../../workers/lib/directory/wikis.ts';
import { httpFetch } from '../helpers/http.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { decodeEntities, sessionToken } from '../helpers/wiki-ui.ts';
import { DIRECTORY_TTL_MS } from '../../workers/wiki/directory-cache.ts';

const ALICE = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';
const CAROL = 'did:plc:cccccccccccccccccccccccc';
const system = { kind: 'system' } as const;
const REDIRECT = 'http://127.0.0.1:9/callback';

let t: TestStack;
let db: Db;
let closeDb: () => void;
const cookies: Record<string, string> = {};

const sdkFetch: FetchLike = (url, init) => httpFetch(String(url), init as never) as unknown as Promise<Response>;
const origin = (slug = 'demo') => t.url('', slug).replace(/\/$/, '');

before(async () => {
  t = await startTestStack();
  const opened = openDb({ url: t.stack.sqldUrl });
  db = opened.db;
  closeDb = () => opened.client.close();
  await upsertUser(db, { did: ALICE, handle: 'alice.example.com', displayName: 'Alice' }, system);
  await upsertUser(db, { did: BOB, handle: 'bob.example.com' }, system);
  await upsertUser(db, { did: CAROL, handle: 'carol.example.com' }, system);
  const demo = await createWiki(db, { slug: 'demo', ownerDid: ALICE, title: 'Demo wiki' }, system);
  await createWiki(db, { slug: 'other', ownerDid: ALICE, title: 'Other' }, system);
  await setMember(db, demo, BOB, 'viewer', system);
  for (const who of ['alice', 'bob', 'carol']) cookies[who] = await sessionToken(t, `${who}.example.com`);
});
after(async () => {
  closeDb();
  await t.stop();
});

/** An in-memory OAuth client, as Claude Code keeps one per server. */
class TestProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  readonly clientMetadataUrl: string | undefined;
  constructor(options: { clientMetadataUrl?: string; redirect?: string } = {}) {
    this.clientMetadataUrl = options.clientMetadataUrl;
    this.redirect = options.redirect ?? REDIRECT;
  }
  readonly redirect: string;
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'Test agent', redirect_uris: [this.redirect], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The browser part: the consent page as `who`, approved (or denied); returns where the browser is sent. */
async function consent(authorizationUrl: URL | string, who: string, decision: 'approve' | 'deny' = 'approve'): Promise<{ page: string; location: URL }> {
  const shown = await httpFetch(String(authorizationUrl), { headers: { cookie: `wf_session=${cookies[who]}` } });
  const page = await shown.text();
  assert.equal(shown.status, 200, page.slice(0, 500));
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, decodeEntities(m[2]!));
  form.set('decision', decision);
  const posted = await httpFetch(`${new URL(String(authorizationUrl)).origin}/authorize`, { method: 'POST', headers: { cookie: `wf_session=${cookies[who]}`, origin: new URL(String(authorizationUrl)).origin, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  assert.equal(posted.status, 303, await posted.text());
  return { page, location: new URL(posted.headers.get('location')!) };
}

/** Runs the SDK's whole flow for `provider` as `who`; returns the provider, now holding tokens. */
async function authorize(provider: TestProvider, who = 'alice', slug = 'demo'): Promise<TestProvider> {
  const serverUrl = t.url('/mcp', slug);
  assert.equal(await auth(provider, { serverUrl, fetchFn: sdkFetch }), 'REDIRECT');
  const { location } = await consent(provider.authorizationUrl!, who);
  assert.equal(location.searchParams.get('iss'), origin(slug), 'iss on the redirect, byte-identical to the issuer');
  assert.equal(location.searchParams.get('state'), provider.authorizationUrl!.searchParams.get('state'));
  assert.equal(await auth(provider, { serverUrl, authorizationCode: location.searchParams.get('code')!, fetchFn: sdkFetch }), 'AUTHORIZED');
  return provider;
}

async function mcpClient(provider: TestProvider, slug = 'demo'): Promise<Client> {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(t.url('/mcp', slug)), { authProvider: provider, fetch: sdkFetch }));
  return client;
}

async function token(form: Record<string, string>, slug = 'demo') {
  const res = await httpFetch(t.url('/token', slug), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function mcpStatus(accessToken: string, slug = 'demo'): Promise<number> {
  const res = await httpFetch(t.url('/mcp', slug), { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
  await res.text();
  return res.status;
}

describe('discovery', () => {
  it('serves AS metadata with the wiki as issuer, and protected-resource metadata at the path-inserted and root addresses', async () => {
    const as = (await (await httpFetch(t.url('/.well-known/oauth-authorization-server', 'demo'))).json()) as Record<string, unknown>;
    assert.equal(as.issuer, origin());
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.ok((as.token_endpoint_auth_methods_supported as string[]).includes('none'));
    assert.equal(as.client_id_metadata_document_supported, true);
    assert.equal(as.authorization_response_iss_parameter_supported, true);
    const prm = (await (await httpFetch(t.url('/.well-known/oauth-protected-resource/mcp', 'demo'))).json()) as Record<string, unknown>;
    assert.deepEqual([prm.resource, prm.authorization_servers], [`${origin()}/mcp`, [origin()]]);
    const root = (await (await httpFetch(t.url('/.well-known/oauth-protected-resource', 'demo'))).json()) as Record<string, unknown>;
    assert.equal(root.resource, origin());
    const unknown = await httpFetch(t.url('/.well-known/oauth-authorization-server', 'nowiki'));
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /json/);
  });
});

describe('the SDK client, end to end', () => {
  it('registers (DCR), gets consent, calls tools, refreshes an expired access token and carries on', async () => {
    const provider = await authorize(new TestProvider());
    assert.match(String(provider.info?.client_id), /^dcr_/);
    assert.equal(provider.saved?.scope, 'wiki:read wiki:write');
    const client = await mcpClient(provider);
    const tools = await client.listTools();
    assert.ok(tools.tools.some((x) => x.name === 'write_note'));
    const written = await client.callTool({ name: 'write_note', arguments: { path: 'FromAgent', content: '# From the agent\n' } });
    assert.ok(!written.isError, JSON.stringify(written));
    const firstAccess = provider.saved!.access_token;

    // The access token expires; the transport refreshes on the 401 and carries on.
    await db.update(oauthTokens).set({ expiresAt: Date.now() - 1 }).where(eq(oauthTokens.kind, 'access'));
    // Changed behind the stack's back: the wiki may remember the grant for up to 2 × DIRECTORY_TTL_MS.
    await new Promise((r) => setTimeout(r, 2 * DIRECTORY_TTL_MS + 50));
    const read = await client.callTool({ name: 'read_note', arguments: { path: 'FromAgent' } });
    assert.ok(!read.isError, JSON.stringify(read));
    assert.notEqual(provider.saved!.access_token, firstAccess, 'a fresh access token');
    assert.equal(await mcpStatus(firstAccess), 401, 'the expired one is refused');
    await client.close();
  });

  it("uses a Client ID Metadata Document (Claude Code's, from the pinned copy when the fetch fails) with any loopback port", async () => {
    const provider = new TestProvider({ clientMetadataUrl: 'https://claude.ai/oauth/claude-code-client-metadata', redirect: 'http://localhost:54321/callback' });
    await authorize(provider);
    assert.equal(provider.info?.client_id, 'https://claude.ai/oauth/claude-code-client-metadata');
    const client = await mcpClient(provider);
    assert.ok((await client.listTools()).tools.length > 0);
    await client.close();
  });
});

describe('tokens', () => {
  it('answers a duplicate refresh with the same tokens, and revokes the grant when an old refresh token is replayed later', async () => {
    const provider = await authorize(new TestProvider());
    const refresh = { grant_type: 'refresh_token', refresh_token: provider.saved!.refresh_token!, client_id: String(provider.info!.client_id) };
    const first = await token(refresh);
    const again = await token(refresh);
    assert.equal(first.status, 200);
    assert.equal(again.body.access_token, first.body.access_token, 'the same answer within the grace window');
    assert.equal(again.body.refresh_token, first.body.refresh_token);
    assert.equal(await mcpStatus(first.body.access_token!), 200);
    // Long after: the replay revokes the whole grant.
    await db.run(sql`update oauth_tokens set rotated_at = rotated_at - 600000 where rotated_at is not null`);
    const replay = await token(refresh);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal(await mcpStatus(first.body.access_token!), 401, 'the grant and its tokens are revoked');
  });

  it('refuses a replayed code and revokes what it issued', async () => {
    const provider = new TestProvider();
    const serverUrl = t.url('/mcp', 'demo');
    await auth(provider, { serverUrl, fetchFn: sdkFetch });
    const { location } = await consent(provider.authorizationUrl!, 'alice');
    const exchange = { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: provider.verifier, client_id: String(provider.info!.client_id), resource: `${origin()}/mcp/` };
    const first = await token(exchange);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal((await token(exchange)).body.error, 'invalid_grant');
    assert.equal(await mcpStatus(first.body.access_token!), 401);
  });

  it('checks PKCE, the redirect and the resource of a code exchange; a wrong resource does not burn the code', async () => {
    const provider = new TestProvider();
    await auth(provider, { serverUrl: t.url('/mcp', 'demo'), fetchFn: sdkFetch });
    const { location } = await consent(provider.authorizationUrl!, 'alice');
    const base = { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: provider.verifier, client_id: String(provider.info!.client_id) };
    assert.equal((await token({ ...base, resource: `${origin('other')}/mcp` })).body.error, 'invalid_target');
    assert.equal((await token({ ...base, code_verifier: 'x'.repeat(43) })).body.error, 'invalid_grant');
    const good = await token(base);
    assert.equal(good.status, 200, 'still usable after the refused attempts');
  });

  it('keeps every token to its wiki, and revokes on request', async () => {
    const provider = await authorize(new TestProvider());
    const access = provider.saved!.access_token;
    assert.equal(await mcpStatus(access, 'other'), 401, 'another wiki does not know the token');
    const rest = await httpFetch(t.url('/api/v1/pages', 'other'), { headers: { authorization: `Bearer ${access}` } });
    assert.equal(rest.status, 401, 'nor does its REST API');
    const revoke = await httpFetch(t.url('/revoke', 'demo'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: provider.saved!.refresh_token!, client_id: String(provider.info!.client_id) }).toString() });
    assert.equal(revoke.status, 200);
    assert.equal(await mcpStatus(access), 401);
  });
});

describe('consent', () => {
  it('gives a viewer read access only, whatever the client asks for', async () => {
    const provider = await authorize(new TestProvider(), 'bob');
    assert.equal(provider.saved?.scope, 'wiki:read');
    const client = await mcpClient(provider);
    assert.ok(!(await client.listTools()).tools.some((x) => x.name === 'write_note'));
    await client.close();
  });

  it('refuses a non-member, and sends a signed-out person to sign in first', async () => {
    const provider = new TestProvider();
    await auth(provider, { serverUrl: t.url('/mcp', 'demo'), fetchFn: sdkFetch });
    const carol = await httpFetch(String(provider.authorizationUrl), { headers: { cookie: `wf_session=${cookies.carol}` } });
    assert.equal(carol.status, 403);
    assert.match(await carol.text(), /not a member/);
    const anonymous = await httpFetch(String(provider.authorizationUrl));
    assert.equal(anonymous.status, 302);
    const signIn = new URL(anonymous.headers.get('location')!);
    assert.equal(signIn.pathname, '/sign-in');
    assert.equal(new URL(signIn.searchParams.get('return_to')!).origin, origin(), 'back to this authorization afterwards');
  });

  it('sends a refusal back with iss, but shows errors about the client or redirect here', async () => {
    const provider = new TestProvider();
    await auth(provider, { serverUrl: t.url('/mcp', 'demo'), fetchFn: sdkFetch });
    const { location } = await consent(provider.authorizationUrl!, 'alice', 'deny');
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('iss'), origin());

    const url = new URL(provider.authorizationUrl!);
    url.searchParams.set('redirect_uri', 'https://evil.example/steal');
    const res = await httpFetch(String(url), { headers: { cookie: `wf_session=${cookies.alice}` } });
    assert.equal(res.status, 400, 'an unregistered redirect is never followed');
    assert.equal(res.headers.get('location'), null);

    const noPkce = new URL(provider.authorizationUrl!);
    noPkce.searchParams.delete('code_challenge');
    const pkce = await httpFetch(String(noPkce), { headers: { cookie: `wf_session=${cookies.alice}` } });
    assert.equal(pkce.status, 302);
    const back = new URL(pkce.headers.get('location')!);
    assert.deepEqual([back.searchParams.get('error'), back.searchParams.get('iss')], ['invalid_request', origin()]);

    const wrongWiki = new URL(provider.authorizationUrl!);
    wrongWiki.searchParams.set('resource', `${origin('other')}/mcp`);
    const target = new URL((await httpFetch(String(wrongWiki), { headers: { cookie: `wf_session=${cookies.alice}` } })).headers.get('location')!);
    assert.equal(target.searchParams.get('error'), 'invalid_target');
  });

  it('refuses consent posted from another site', async () => {
    const provider = new TestProvider();
    await auth(provider, { serverUrl: t.url('/mcp', 'demo'), fetchFn: sdkFetch });
    const page = await (await httpFetch(String(provider.authorizationUrl), { headers: { cookie: `wf_session=${cookies.alice}` } })).text();
    const form = new URLSearchParams();
    for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, decodeEntities(m[2]!));
    form.set('decision', 'approve');
    const res = await httpFetch(t.url('/authorize', 'demo'), { method: 'POST', headers: { cookie: `wf_session=${cookies.alice}`, origin: origin('evil'), 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
  });

  it('will not fetch client metadata from this machine or private names', async () => {
    for (const clientId of ['https://127.0.0.1/client.json', 'https://localhost/client.json', 'https://10.0.0.1/client.json', 'https://metadata.internal/client.json', 'https://[::1]/client.json', 'http://client.example/meta.json', 'https://client.example/']) {
      const url = new URL(t.url('/authorize', 'demo'));
      for (const [k, v] of Object.entries({ response_type: 'code', client_id: clientId, redirect_uri: 'https://client.example/cb', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })) url.searchParams.set(k, v);
      const res = await httpFetch(String(url), { headers: { cookie: `wf_session=${cookies.alice}` } });
      assert.equal(res.status, 400, clientId);
      assert.equal(res.headers.get('location'), null, clientId);
    }
  });
});

describe('registration', () => {
  it('deduplicates identical public registrations, hashes secrets and binds clients to their wiki', async () => {
    const meta = { client_name: 'Dup', redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' };
    const register = async (body: unknown, slug = 'demo') => {
      const res = await httpFetch(t.url('/register', slug), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    const a = await register(meta);
    const b = await register(meta);
    assert.equal(a.status, 201);
    assert.equal(b.body.client_id, a.body.client_id);
    const secret = await register({ ...meta, token_endpoint_auth_method: 'client_secret_post' });
    assert.ok(secret.body.client_secret);
    const stored = await db.run(sql`select secret_hash from oauth_clients where client_id = ${secret.body.client_id}`);
    assert.notEqual(String(stored.rows[0]?.[0]), secret.body.client_secret, 'only a hash is stored');
    assert.equal((await register({ redirect_uris: ['http://evil.example/cb'] })).body.error, 'invalid_redirect_uri');
    const elsewhere = new URL(t.url('/authorize', 'other'));
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: a.body.client_id!, redirect_uri: 'http://127.0.0.1/cb', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })) elsewhere.searchParams.set(k, v);
    assert.equal((await httpFetch(String(elsewhere), { headers: { cookie: `wf_session=${cookies.alice}` } })).status, 400, "another wiki's DCR client is unknown");
    const grants = await db.select().from(oauthGrants);
    assert.ok(grants.every((g) => g.resource.endsWith('/mcp')));
  });
});
