/**
 * Driving the platform (the apex) in tests: people and sessions made with the
 * admin CLI's own commands (run in this process against the stack's sqld, so
 * a test file pays no process start per person), and a JSON client of the
 * management API that signs in with the session cookie (sending the CSRF
 * token and this site's Origin) or a personal access token.
 */
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { parseCommand } from '../../bin/lib/admin-commands.ts';
import { oauthGrants, oauthTokens, wikis } from '../../db/schema.ts';
import { openDb, type Db } from '../../workers/lib/db.ts';
import { hashSecret, newId, randomSecret } from '../../workers/lib/tokens.ts';
import type { TestStack } from './stack.ts';

/** Runs an admin CLI command (`['user', 'add', did, handle]`) in this process; returns what it printed. */
export async function adminCommand(t: TestStack, argv: string[]): Promise<string> {
  const { command, positionals, values } = parseCommand(argv);
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  const lines: string[] = [];
  try {
    await command.run(db, { positionals, values }, { out: (l) => void lines.push(l), dataDir: t.dataDir });
  } finally {
    client.close();
  }
  // What the CLI does after a change: the running stack forgets cached directory rows.
  if (!command.readOnly) await fetch(`${t.stack.internalUrl}/internal/directory-changed`, { method: 'POST' });
  return lines.join('\n');
}

/** The stack's store, for tests that look behind the API. Close it with `client.close()`. */
export function storeOf(t: TestStack): { db: Db; close(): void } {
  const { db, client } = openDb({ url: t.stack.sqldUrl });
  return { db, close: () => client.close() };
}

export interface ConnectedApp {
  /** The grant's id. */
  id: string;
  /** Its access token (`wfat_…`), good for an hour. */
  accessToken: string;
}

/**
 * An MCP client connected to wiki `slug` by `userDid`, as the consent page and
 * the token endpoint would leave it (a grant and one access token), written
 * straight into the store: the OAuth flow itself is tested in mcp-oauth.test.ts.
 */
export async function connectApp(t: TestStack, slug: string, userDid: string, app: { name: string; clientId?: string; redirectUri?: string; scopes?: string }): Promise<ConnectedApp> {
  const store = storeOf(t);
  try {
    const [wiki] = await store.db.select({ id: wikis.id }).from(wikis).where(eq(wikis.slug, slug));
    assert.ok(wiki, `no wiki ${slug}`);
    const id = newId('grt', 24);
    const accessToken = `wfat_${randomSecret(32)}`;
    const scopes = app.scopes ?? 'read write';
    const now = Date.now();
    await store.db.batch([
      store.db.insert(oauthGrants).values({
        id,
        wikiId: wiki.id,
        userDid,
        clientId: app.clientId ?? 'https://claude.ai/oauth/mcp-oauth-client-metadata',
        clientName: app.name,
        redirectUri: app.redirectUri ?? 'https://claude.ai/api/mcp/auth_callback',
        scopes,
        resource: t.url('/mcp', slug),
        createdAt: now,
      }),
      store.db.insert(oauthTokens).values({ tokenHash: await hashSecret(accessToken), grantId: id, wikiId: wiki.id, kind: 'access', scopes, createdAt: now, expiresAt: now + 3_600_000 }),
    ]);
    return { id, accessToken };
  } finally {
    store.close();
  }
}

export interface SignedIn {
  did: string;
  handle: string;
  token: string;
  sessionId: string;
  csrf: string;
}

/** A user (made if needed) with a fresh session, as the admin CLI makes them; the CSRF token from GET /api/me. */
export async function signIn(t: TestStack, did: string, handle: string, extra: string[] = []): Promise<SignedIn> {
  await adminCommand(t, ['user', 'add', did, handle, ...extra]);
  const printed = await adminCommand(t, ['session', 'create', handle]);
  const token = /^(ey[\w-]+\.[\w-]+\.[\w-]+)$/m.exec(printed)?.[1];
  const sessionId = /session (ses_[a-z0-9]+)/.exec(printed)?.[1];
  assert.ok(token && sessionId, printed);
  const me = await new ApiClient(t, { session: { token, csrf: '' } }).get('/api/me');
  assert.equal(me.status, 200, JSON.stringify(me.body));
  return { did, handle, token, sessionId, csrf: String(me.body.csrf_token) };
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: string; message?: string };
}

export type ApiAuth = { session: { token: string; csrf: string }; origin?: string | null; csrf?: string | null } | { pat: string } | null;

/** A JSON client of /api/… on the apex. */
export class ApiClient {
  readonly #t: TestStack;
  readonly #auth: ApiAuth;

  constructor(t: TestStack, auth: ApiAuth) {
    this.#t = t;
    this.#auth = auth;
  }

  static as(t: TestStack, who: SignedIn | null, overrides: { origin?: string | null; csrf?: string | null } = {}): ApiClient {
    return new ApiClient(t, who ? { session: { token: who.token, csrf: who.csrf }, ...overrides } : null);
  }

  static withToken(t: TestStack, pat: string): ApiClient {
    return new ApiClient(t, { pat });
  }

  #headers(method: string, hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json' };
    if (hasBody) h['content-type'] = 'application/json';
    const auth = this.#auth;
    if (auth && 'pat' in auth) h.authorization = `Bearer ${auth.pat}`;
    if (auth && 'session' in auth) {
      h.cookie = `wf_session=${auth.session.token}`;
      if (method !== 'GET') {
        const origin = auth.origin === undefined ? new URL(this.#t.url('/')).origin : auth.origin;
        const csrf = auth.csrf === undefined ? auth.session.csrf : auth.csrf;
        if (origin !== null) h.origin = origin;
        if (csrf !== null) h['x-csrf-token'] = csrf;
      }
    }
    return h;
  }

  async request(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const res = await this.#t.fetch(this.#t.url(path), { method, headers: this.#headers(method, body !== undefined), ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    if (text) {
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = { text };
      }
    }
    return { status: res.status, headers: res.headers as unknown as Headers, body: parsed };
  }

  get(path: string): Promise<ApiAnswer> {
    return this.request('GET', path);
  }
  post(path: string, body: unknown): Promise<ApiAnswer> {
    return this.request('POST', path, body);
  }
  patch(path: string, body: unknown): Promise<ApiAnswer> {
    return this.request('PATCH', path, body);
  }
  delete(path: string, body?: unknown): Promise<ApiAnswer> {
    return this.request('DELETE', path, body);
  }
}

/** Asserts a status, showing the answer when it differs. */
export function expectStatus(answer: ApiAnswer, status: number, what = ''): void {
  assert.equal(answer.status, status, `${what} → ${answer.status}: ${JSON.stringify(answer.body).slice(0, 400)}`);
}
