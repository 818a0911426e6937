/**
 * Addresses of a wiki as people and programs use them, derived from the
 * public origin (scheme and port included): `https://{slug}.APEX` in
 * production, `http://{slug}.wiki.localhost:PORT` locally.
 */

import { wikiMcpUrl as mcpUrl, wikiOrigin } from '../lib/wiki-urls.ts';

export { mcpUrl, wikiOrigin };

/** The git remote with a personal access token as the password (`x-token` is any user name). */
export function gitCloneUrl(publicOrigin: string, slug: string, token = 'TOKEN'): string {
  const apex = new URL(publicOrigin);
  return `${apex.protocol}//x-token:${token}@${slug}.${apex.host}/.git`;
}

/** The Claude Code command that connects the wiki with a personal access token. */
export function claudeCodeCommand(publicOrigin: string, slug: string, token = 'TOKEN'): string {
  return `claude mcp add --transport http ${slug} ${mcpUrl(publicOrigin, slug)} --header "Authorization: Bearer ${token}"`;
}

