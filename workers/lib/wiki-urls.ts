/**
 * Absolute addresses of a wiki, built from configuration (the public origin's
 * scheme and port) and a validated slug, never from a request's Host:
 * `https://acme.wiki.example`, or `http://acme.wiki.localhost:8787` locally.
 */

/** The wiki's origin; also its OAuth issuer. */
export function wikiOrigin(publicOrigin: string, slug: string): string {
  const apex = new URL(publicOrigin);
  return `${apex.protocol}//${slug}.${apex.host}`;
}

/** The wiki's MCP endpoint: what people give Claude, and the audience of its OAuth tokens. */
export function wikiMcpUrl(publicOrigin: string, slug: string): string {
  return `${wikiOrigin(publicOrigin, slug)}/mcp`;
}

/** Where the MCP endpoint's 401 challenge points (RFC 9728, path-inserted). */
export function wikiResourceMetadataUrl(publicOrigin: string, slug: string): string {
  return `${wikiOrigin(publicOrigin, slug)}/.well-known/oauth-protected-resource/mcp`;
}

/** The OAuth scopes a wiki's MCP endpoint asks for: one consent covers reading and writing. */
export const WIKI_OAUTH_SCOPES = ['wiki:read', 'wiki:write'] as const;
