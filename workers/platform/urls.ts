/**
 * Addresses of a wiki as people and programs use them, derived from the
 * public origin (scheme and port included): `https://{slug}.APEX` in
 * production, `http://{slug}.wiki.localhost:PORT` locally.
 */

/** `https://{slug}.APEX` for the public origin `https://APEX`. */
export function wikiOrigin(publicOrigin: string, slug: string): string {
  const apex = new URL(publicOrigin);
  return `${apex.protocol}//${slug}.${apex.host}`;
}

/** The wiki's MCP endpoint (Claude.ai connectors and Claude Code). */
export function mcpUrl(publicOrigin: string, slug: string): string {
  return `${wikiOrigin(publicOrigin, slug)}/mcp`;
}

/** The git remote with a personal access token as the password (`x-token` is any user name). */
export function gitCloneUrl(publicOrigin: string, slug: string, token = 'TOKEN'): string {
  const apex = new URL(publicOrigin);
  return `${apex.protocol}//x-token:${token}@${slug}.${apex.host}/.git`;
}

/** The Claude Code command that connects the wiki with a personal access token. */
export function claudeCodeCommand(publicOrigin: string, slug: string, token = 'TOKEN'): string {
  return `claude mcp add --transport http ${slug} ${mcpUrl(publicOrigin, slug)} --header "Authorization: Bearer ${token}"`;
}

/**
 * A path on the apex that is safe to send a browser back to after sign-in:
 * one leading slash (never `//host` or `/\host`, which leave the site), at
 * most 2,000 characters; anything else becomes the dashboard.
 */
export function localReturnPath(input: string | null | undefined, fallback = '/app'): string {
  if (!input || input.length > 2000 || !input.startsWith('/') || input.startsWith('//') || input.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\\]/.test(input)) return fallback;
  return input;
}
