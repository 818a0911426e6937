/**
 * One MCP server per request (stateless): the wiki's tools filtered by the
 * credential's scopes, and instructions that describe this wiki.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toolsFor, toolError, type ToolContext } from './tools.ts';

export const SERVER_NAME = 'wikifarm';
export const SERVER_VERSION = '1.0.0';

/** What the instructions and the tool filter need to know about the wiki and the caller. */
export interface WikiFacts {
  slug: string;
  title: string;
  role: string | null;
  canWrite: boolean;
  origin: string;
}

/** The server's `instructions`: what this wiki is, how to work with its tools, and its page naming rules. */
export function instructions(wiki: WikiFacts): string {
  const access = wiki.canWrite
    ? `You can read and change it (role: ${wiki.role ?? 'member'}). Every change is a git commit authored by the person who connected you, and names this client.`
    : `This connection is read-only (role: ${wiki.role ?? 'member'}): you can read, search and follow links, but not change pages.`;
  const lines = [
    `This is the wiki "${wiki.title}" at ${wiki.origin}: a git-backed set of Markdown pages that people and their agents share. ${access}`,
    '',
    'How to work with it:',
    '- Get your bearings with get_recent_changes, list_notes (prefix to browse a folder) and read_note on "Home". search_notes finds pages by words; semantic_search finds passages by meaning (whole passages with their section), or says it is off and gives keyword results.',
    '- read_note gives the page\'s current revision; get_links, find_orphaned_notes and find_broken_links show the link graph; get_history and get_diff show how a page changed.',
  ];
  if (wiki.canWrite) {
    lines.push(
      '- Read before you write and pass the revision you read as `revision`: if the page changed in between, the call fails with the current revision; read again and redo the change.',
      '- Prefer small edits: edit_note (replace one exact, unique piece of text), replace_section (a section by heading path), append_note / prepend_note (optionally into a section). Use write_note for new pages or complete rewrites.',
      '- Give a short commit_message saying why. Mistakes can be undone with revert_change (a revision from get_recent_changes).',
      '- Ask the user before delete_note, delete_attachment or revert_change.',
    );
  }
  lines.push(
    '',
    'Page names: paths such as "Projects/Plan", "/" making folders. Spaces and underscores are the same ("First Page" is "First_Page"); letter case matters; no leading "/", no "." or ".." segments, ".md" is optional. Top-level names mcp, api, auth, authorize, token, register, revoke, "-", .git and .well-known are reserved.',
    'Links: [[Page Path]] or [[shown text|Page Path]] (text first), or Markdown [text](/Page_Path). Pages may start with YAML frontmatter (title, category, tags). A section is named by its heading, or a path of headings such as "Background > Details". Attachments belong to a page and are linked as ![](/Page_Path/file.png).',
  );
  return lines.join('\n');
}

/** A server with the tools `wiki`'s caller may use, each bound to `ctx`. */
export function buildServer(wiki: WikiFacts, ctx: ToolContext): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: `${wiki.title} (wiki)`, version: SERVER_VERSION, websiteUrl: wiki.origin },
    { instructions: instructions(wiki), jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  for (const tool of toolsFor(wiki.canWrite)) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: { title: tool.title, ...tool.annotations } },
      async (args: Record<string, unknown>): Promise<CallToolResult> => {
        try {
          return await tool.run(args, ctx);
        } catch (err) {
          console.error(`[mcp] tool ${tool.name} failed`, err);
          return toolError(`The wiki could not answer ${tool.name} (${err instanceof Error ? err.message : String(err)}). Try again in a few seconds.`);
        }
      },
    );
  }
  return server;
}
