/**
 * Every wiki host is its own authorization server: issuer `https://{slug}.APEX`
 * (scheme and port from PUBLIC_ORIGIN), audience its MCP URL. Absolute URLs are
 * always built from configuration and a validated slug, never from Host.
 */
import { wikiMcpUrl, wikiOrigin, wikiResourceMetadataUrl } from '../lib/wiki-urls.ts';

export interface WikiIssuer {
  /** `https://acme.wiki.example`: no path, no trailing slash. */
  issuer: string;
  /** The audience of its tokens: `https://acme.wiki.example/mcp`. */
  resource: string;
  /** Where the 401 challenge points. */
  resourceMetadata: string;
}

export function wikiIssuer(publicOrigin: string, slug: string): WikiIssuer {
  return { issuer: wikiOrigin(publicOrigin, slug), resource: wikiMcpUrl(publicOrigin, slug), resourceMetadata: wikiResourceMetadataUrl(publicOrigin, slug) };
}

/**
 * The canonical audience for a `resource` parameter, or null when it names
 * something else. Accepted: the MCP URL with or without a trailing slash, and
 * the wiki's origin with or without one (clients strip and add slashes).
 */
export function canonicalResource(input: string | undefined | null, wiki: WikiIssuer): string | null {
  if (input === undefined || input === null || input === '') return wiki.resource; // missing: this host's wiki
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.hash || url.search || url.username || url.password) return null;
  if (`${url.protocol}//${url.host}` !== wiki.issuer) return null;
  return ['/', '/mcp', '/mcp/'].includes(url.pathname) ? wiki.resource : null;
}
