/**
 * `/authorize`: validates the request (client and redirect first: their
 * errors are shown here, never sent to an unvalidated redirect), requires a
 * signed-in member of this wiki, shows the consent page, and on approval
 * issues a code. Every redirect back carries `iss`, errors included.
 */
import type { TokenScope } from '../../db/schema.ts';
import type { Db } from '../lib/db.ts';
import type { Wiki } from '../lib/directory/wikis.ts';
import { ClientError, findClient, type KnownClient } from './clients.ts';
import { canonicalResource, type WikiIssuer } from './issuer.ts';
import { redirectMatches } from './redirect-uri.ts';
import { requestedScopes } from './scopes.ts';

/** The parameters an authorization request carries (and the consent form sends back). */
export const AUTHORIZE_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method', 'resource'] as const;

export interface ValidRequest {
  client: KnownClient;
  redirectUri: string;
  state: string | null;
  wanted: TokenScope[];
  resource: string;
  codeChallenge: string;
  fields: Record<string, string>;
}

/** Shown on our own page: the client or its redirect cannot be trusted with a redirect. */
export class LocalAuthorizeError extends Error {}

/** Sent back to the (validated) redirect URI as `error`. */
export class RedirectAuthorizeError extends Error {
  readonly redirectUri: string;
  readonly state: string | null;
  readonly error: string;

  constructor(redirectUri: string, state: string | null, error: string, description: string) {
    super(description);
    this.redirectUri = redirectUri;
    this.state = state;
    this.error = error;
  }
}

export async function validateAuthorizeRequest(db: Db, wiki: Wiki, issuer: WikiIssuer, params: { get(name: string): string | null | undefined }): Promise<ValidRequest> {
  const get = (k: string) => params.get(k) ?? null;
  const fields: Record<string, string> = {};
  for (const k of AUTHORIZE_FIELDS) {
    const v = get(k);
    if (v !== null) fields[k] = v.slice(0, 2000);
  }
  let client: KnownClient;
  try {
    client = await findClient(db, wiki.id, get('client_id') ?? '');
  } catch (err) {
    if (err instanceof ClientError) throw new LocalAuthorizeError(`The application's client id is not usable: ${err.message}.`);
    throw err;
  }
  let redirectUri = get('redirect_uri');
  if (!redirectUri) {
    if (client.redirectUris.length !== 1) throw new LocalAuthorizeError('The request names no redirect_uri, and the application has several.');
    redirectUri = client.redirectUris[0]!;
  }
  if (!redirectMatches(client.redirectUris, redirectUri)) throw new LocalAuthorizeError(`The redirect URI ${redirectUri} is not one the application registered.`);
  const state = get('state');
  const fail = (error: string, description: string) => new RedirectAuthorizeError(redirectUri, state, error, description);
  if (get('response_type') !== 'code') throw fail('unsupported_response_type', 'response_type must be "code".');
  const codeChallenge = get('code_challenge');
  if (!codeChallenge || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) throw fail('invalid_request', 'PKCE is required: send a code_challenge (S256).');
  if (get('code_challenge_method') !== 'S256') throw fail('invalid_request', 'code_challenge_method must be S256.');
  const resource = canonicalResource(get('resource'), issuer);
  if (!resource) throw fail('invalid_target', `resource must be this wiki's MCP URL, ${issuer.resource}.`);
  return { client, redirectUri, state, wanted: requestedScopes(get('scope')), resource, codeChallenge, fields };
}

/** The redirect back to the client: `code` or `error`, with `state` and `iss`. */
export function redirectBack(redirectUri: string, issuer: string, params: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  url.searchParams.set('iss', issuer);
  return url.href;
}
