/**
 * Who this platform is to an ATProto authorization server. On a public https
 * origin: a confidential web client (metadata at /auth/client-metadata.json,
 * `private_key_jwt` with the stable ES256 key published at /.well-known/jwks.json).
 * On a local http origin: the loopback client, which needs no published
 * metadata, so sign-in with a real Bluesky account works from a laptop; its
 * callback must land on 127.0.0.1 (the gateway routes it here).
 */
import { buildAtprotoLoopbackClientMetadata, type OAuthClientMetadataInput } from '@atproto/oauth-client';

export const SIGN_IN_SCOPE = 'atproto';
export const CALLBACK_PATH = '/auth/callback';

export type ClientMode = 'confidential' | 'loopback';

/** Loopback when the public origin is plain http on a local name (the local default). */
export function clientMode(publicOrigin: string): ClientMode {
  const url = new URL(publicOrigin);
  return url.protocol === 'https:' ? 'confidential' : 'loopback';
}

/** Where the authorization server sends the browser back. */
export function callbackUrl(publicOrigin: string): string {
  const url = new URL(publicOrigin);
  if (clientMode(publicOrigin) === 'confidential') return new URL(CALLBACK_PATH, url).href;
  // Loopback redirect URIs must be an IP literal (RFC 8252 §7.3), on the port we serve.
  return `http://127.0.0.1:${url.port || '80'}${CALLBACK_PATH}`;
}

export function clientMetadata(publicOrigin: string): OAuthClientMetadataInput {
  const redirect = callbackUrl(publicOrigin);
  if (clientMode(publicOrigin) === 'loopback') {
    return buildAtprotoLoopbackClientMetadata({ scope: SIGN_IN_SCOPE, redirect_uris: [redirect] });
  }
  const origin = new URL(publicOrigin).origin;
  return {
    client_id: `${origin}/auth/client-metadata.json`,
    client_name: 'Wiki farm',
    client_uri: origin,
    redirect_uris: [redirect as `https://${string}`],
    scope: SIGN_IN_SCOPE,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: 'web',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks_uri: `${origin}/.well-known/jwks.json`,
    dpop_bound_access_tokens: true,
  };
}
