/**
 * The clients of the authorization server.
 *
 * - Client ID Metadata Documents: an https URL is the client id; the document
 *   is fetched safely (https only, no IP literals or local names, public
 *   addresses only — the worker's network allows nothing else — no redirects,
 *   5 KB, 10 s), validated, and cached for every wiki up to 7 days. When the
 *   fetch fails, pinned copies of Claude's documents, then a stale validated
 *   copy, stand in.
 * - Dynamic registration (fallback): bound to the wiki that registered it,
 *   deduplicated, expiring after 90 days, secrets stored as hashes.
 */
import { and, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { oauthClients } from '../../db/schema.ts';
import type { Db } from '../lib/db.ts';
import { hashSecret, newId, randomSecret } from '../lib/tokens.ts';
import { PINNED_CLIENT_DOCUMENTS } from './pinned-clients.ts';
import { isAcceptableRedirect } from './redirect-uri.ts';

export const AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export interface KnownClient {
  clientId: string;
  kind: 'cimd' | 'dcr';
  name: string;
  redirectUris: string[];
  authMethod: AuthMethod;
  grantTypes: string[];
  secretHash: string | null;
}

/** Why a client id cannot be used; shown on the authorization page, never sent to a redirect. */
export class ClientError extends Error {}

const CIMD_MAX_BYTES = 5 * 1024;
const CIMD_TIMEOUT_MS = 10_000;
const CIMD_MAX_CACHE_MS = 7 * 86_400_000;
const CIMD_DEFAULT_CACHE_MS = 86_400_000;
export const DCR_TTL_MS = 90 * 86_400_000;

const redirectUris = z.array(z.string().max(2000).refine(isAcceptableRedirect, 'redirect URIs must be https, or http on localhost, 127.0.0.1 or [::1]')).min(1).max(20);

const documentSchema = z.object({
  client_id: z.string(),
  client_name: z.string().min(1).max(200),
  client_uri: z.string().max(2000).optional(),
  redirect_uris: redirectUris,
  grant_types: z.array(z.string()).default(['authorization_code']),
  response_types: z.array(z.string()).default(['code']),
  token_endpoint_auth_method: z.literal('none').default('none'),
  client_secret: z.undefined({ error: 'a metadata document must not carry a secret' }).optional(),
  jwks: z.unknown().optional(),
});

export const registrationSchema = z.object({
  redirect_uris: redirectUris,
  client_name: z.string().min(1).max(200).optional(),
  client_uri: z.string().max(2000).optional(),
  grant_types: z.array(z.enum(['authorization_code', 'refresh_token'])).default(['authorization_code', 'refresh_token']),
  response_types: z.array(z.literal('code')).default(['code']),
  token_endpoint_auth_method: z.enum(AUTH_METHODS).default('client_secret_basic'),
  scope: z.string().max(500).optional(),
  application_type: z.enum(['web', 'native']).optional(),
});

/** True for client ids that are metadata document URLs. */
export function isDocumentClientId(clientId: string): boolean {
  return clientId.startsWith('https://');
}

/** The URL rules for a metadata document's address (before any fetch). */
export function documentUrlProblem(clientId: string): string | null {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'the client id is not a URL';
  }
  if (url.protocol !== 'https:') return 'a client metadata URL must use https';
  if (url.username || url.password || url.hash) return 'a client metadata URL must not carry credentials or a fragment';
  if (url.pathname === '/' || /\/\.\.?(\/|$)/.test(clientId.replace(/^https:\/\/[^/]+/, ''))) return 'a client metadata URL needs a path without dot segments';
  const host = url.hostname;
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) return 'a client metadata URL must name a host, not an IP address';
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || !host.includes('.')) return 'a client metadata URL must be on the public internet';
  return null;
}

function fromDocument(doc: z.infer<typeof documentSchema>): KnownClient {
  return { clientId: doc.client_id, kind: 'cimd', name: doc.client_name, redirectUris: doc.redirect_uris, authMethod: 'none', grantTypes: doc.grant_types, secretHash: null };
}

function validateDocument(clientId: string, json: unknown): KnownClient {
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) throw new ClientError(`the client's metadata document is invalid: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
  if (parsed.data.client_id !== clientId) throw new ClientError('the client metadata document names another client id');
  const keys = (parsed.data.jwks as { keys?: unknown[] } | undefined)?.keys ?? [];
  if (keys.some((k) => typeof k === 'object' && k !== null && 'd' in k)) throw new ClientError('the client metadata document publishes a private key');
  return fromDocument(parsed.data);
}

/** Reads at most `max` bytes of a body; more is an error (the fetch is cancelled). */
async function readCapped(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new ClientError(`the client metadata document is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Buffer.concat(chunks));
}

async function fetchDocument(clientId: string): Promise<{ client: KnownClient; raw: unknown; cacheMs: number }> {
  let response: Response;
  try {
    response = await fetch(clientId, { redirect: 'manual', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(CIMD_TIMEOUT_MS) });
  } catch (err) {
    throw new ClientError(`the client metadata document could not be fetched (${(err as Error).message})`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new ClientError(`the client metadata document answered ${response.status}${response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''}`);
  }
  const text = await readCapped(response, CIMD_MAX_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ClientError('the client metadata document is not JSON');
  }
  const maxAge = /max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1];
  const cacheMs = Math.min(CIMD_MAX_CACHE_MS, maxAge ? Number(maxAge) * 1000 : CIMD_DEFAULT_CACHE_MS);
  return { client: validateDocument(clientId, raw), raw, cacheMs };
}

/** A metadata-document client: cached, else fetched, else a pinned copy, else a stale cached copy. */
async function documentClient(db: Db, clientId: string, now: number): Promise<KnownClient> {
  const problem = documentUrlProblem(clientId);
  if (problem) throw new ClientError(problem);
  const [cached] = await db.select().from(oauthClients).where(and(eq(oauthClients.clientId, clientId), eq(oauthClients.kind, 'cimd')));
  if (cached && cached.expiresAt > now) return validateDocument(clientId, JSON.parse(cached.metadata));
  try {
    const fetched = await fetchDocument(clientId);
    const row = { clientId, kind: 'cimd' as const, wikiId: null, metadata: JSON.stringify(fetched.raw), secretHash: null, metadataHash: null, createdAt: now, expiresAt: now + fetched.cacheMs };
    await db.insert(oauthClients).values(row).onConflictDoUpdate({ target: oauthClients.clientId, set: { metadata: row.metadata, expiresAt: row.expiresAt } });
    return fetched.client;
  } catch (err) {
    const pinned = PINNED_CLIENT_DOCUMENTS[clientId];
    if (pinned) return validateDocument(clientId, pinned);
    if (cached) return validateDocument(clientId, JSON.parse(cached.metadata));
    throw err;
  }
}

/** The client behind `clientId` as seen by wiki `wikiId`, or a ClientError saying why not. */
export async function findClient(db: Db, wikiId: string, clientId: string, now = Date.now()): Promise<KnownClient> {
  if (!clientId || clientId.length > 500) throw new ClientError('a client_id is required');
  if (isDocumentClientId(clientId)) return documentClient(db, clientId, now);
  const [row] = await db.select().from(oauthClients).where(and(eq(oauthClients.clientId, clientId), eq(oauthClients.kind, 'dcr'), eq(oauthClients.wikiId, wikiId), gt(oauthClients.expiresAt, now)));
  if (!row) throw new ClientError('this client is not registered with this wiki (registrations are per wiki and lapse after 90 days)');
  const meta = registrationSchema.parse(JSON.parse(row.metadata));
  return { clientId, kind: 'dcr', name: meta.client_name ?? 'Unnamed client', redirectUris: meta.redirect_uris, authMethod: meta.token_endpoint_auth_method, grantTypes: meta.grant_types, secretHash: row.secretHash };
}

export interface Registration {
  clientId: string;
  clientSecret: string | null;
  issuedAt: number;
  metadata: z.infer<typeof registrationSchema>;
}

/** Registers a client with wiki `wikiId`; an identical public registration gets the same client back. */
export async function registerClient(db: Db, wikiId: string, metadata: z.infer<typeof registrationSchema>, now = Date.now()): Promise<Registration> {
  const metadataHash = await hashSecret(JSON.stringify(metadata));
  const isPublic = metadata.token_endpoint_auth_method === 'none';
  if (isPublic) {
    const [same] = await db.select().from(oauthClients).where(and(eq(oauthClients.wikiId, wikiId), eq(oauthClients.metadataHash, metadataHash), gt(oauthClients.expiresAt, now)));
    if (same) {
      await db.update(oauthClients).set({ expiresAt: now + DCR_TTL_MS }).where(eq(oauthClients.clientId, same.clientId));
      return { clientId: same.clientId, clientSecret: null, issuedAt: same.createdAt, metadata };
    }
  }
  const clientId = newId('dcr', 24);
  const clientSecret = isPublic ? null : randomSecret(32);
  await db.insert(oauthClients).values({ clientId, kind: 'dcr', wikiId, metadata: JSON.stringify(metadata), secretHash: clientSecret ? await hashSecret(clientSecret) : null, metadataHash, createdAt: now, expiresAt: now + DCR_TTL_MS });
  return { clientId, clientSecret, issuedAt: now, metadata };
}

/** Checks a confidential client's secret (from the body or Basic auth); public clients need none. */
export async function clientAuthenticates(client: KnownClient, presentedSecret: string | null): Promise<boolean> {
  if (client.authMethod === 'none') return true;
  if (!presentedSecret || !client.secretHash) return false;
  const presented = await hashSecret(presentedSecret);
  let diff = presented.length ^ client.secretHash.length;
  for (let i = 0; i < presented.length && i < client.secretHash.length; i++) diff |= presented.charCodeAt(i) ^ client.secretHash.charCodeAt(i);
  return diff === 0;
}
