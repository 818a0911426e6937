/** The discovery documents of each wiki's authorization server and protected resource (RFC 8414, RFC 9728). */
import type { Wiki } from '../lib/directory/wikis.ts';
import type { WikiIssuer } from './issuer.ts';
import { AUTH_METHODS } from './clients.ts';
import { OAUTH_SCOPES, SUPPORTED_SCOPES } from './scopes.ts';

export function authorizationServerMetadata(w: WikiIssuer) {
  return {
    issuer: w.issuer,
    authorization_endpoint: `${w.issuer}/authorize`,
    token_endpoint: `${w.issuer}/token`,
    registration_endpoint: `${w.issuer}/register`,
    revocation_endpoint: `${w.issuer}/revoke`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: [...AUTH_METHODS],
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS],
    scopes_supported: [...SUPPORTED_SCOPES],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}

/** Path-inserted (`/.well-known/oauth-protected-resource/mcp`): the MCP endpoint; root: the wiki's origin. */
export function protectedResourceMetadata(w: WikiIssuer, wiki: Wiki, which: 'mcp' | 'root') {
  return {
    resource: which === 'mcp' ? w.resource : w.issuer,
    authorization_servers: [w.issuer],
    scopes_supported: [...OAUTH_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: wiki.title,
  };
}
