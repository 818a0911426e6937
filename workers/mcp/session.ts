/**
 * The wiki session as the MCP worker holds it: a JS-RPC stub of
 * `WikiSession` (workers/wiki/rpc/wiki-session.ts), opened per request with
 * the caller's bearer token.
 *
 * Typed from the class itself rather than through `Service<WikiRpc>`: the
 * RPC type mapping drops every union member it cannot prove serialisable
 * (`details?: Record<string, unknown>` of errors, frontmatter), which would
 * erase the `{ ok: false }` answers the tools must handle.
 */
import type { WikiSession } from '../wiki/rpc/wiki-session.ts';

type Methods = 'info' | 'listPages' | 'readPage' | 'putPage' | 'editPage' | 'deletePage' | 'renamePage' | 'history' | 'diff' | 'revert' | 'search' | 'semanticSearch' | 'links' | 'orphans' | 'brokenLinks' | 'recentChanges' | 'listAttachments' | 'readAttachment' | 'putAttachment' | 'deleteAttachment';

/** The session's methods as the MCP worker calls them, plus the stub's disposal. */
export type WikiSessionStub = Pick<WikiSession, Methods> & Partial<Disposable>;
