/**
 * Per-request context of the wiki worker: which wiki the Host names, who is
 * calling, and the repository. Unknown wikis are 404; private wikis are
 * invisible to non-members.
 */
import type { Context } from 'hono';
import type { Wiki } from '../lib/directory/wikis.ts';
import { AppError } from '../lib/errors.ts';
import { classifyHost } from '../lib/hosts.ts';
import { dbFor } from '../lib/worker/db.ts';
import { WIKI_WORKER_STREAMS } from '../lib/sqld-streams.ts';
import type { BaseEnv } from '../lib/worker/env.ts';
import type { AuthRpc } from '../auth/index.ts';
import type { OAuthRpc } from '../oauth/index.ts';
import { getRole } from '../lib/directory/members.ts';
import { cachedVerifiers, cachedWikiState } from './directory-cache.ts';
import { identify, requireAccess, type Caller, type Need, type Verifiers } from './access.ts';
import type { Identity } from './git/commit-identity.ts';
import { ensureRepository, openRepository, wikiWithRepoState, type Repository } from './service/repository.ts';

export interface Env extends BaseEnv {
  SQLD: Fetcher;
  /** The writable disk service holding one bare git repository per wiki. */
  DISK: Fetcher;
  OAUTH: Service<OAuthRpc>;
  AUTH: Service<AuthRpc>;
  /** Read-only disk service with the wiki's browser files (dist/static). */
  STATIC: Fetcher;
  /** Writes per person per minute (an address gets twice as many); unset: the platform default. */
  WRITES_PER_MINUTE?: string;
  /** The MCP and OAuth workers over HTTP: the paths of a wiki host they answer, for requests on this worker's own socket (edge.ts). */
  MCP_HTTP: Fetcher;
  OAUTH_HTTP: Fetcher;
}

export interface WikiRequest {
  wiki: Wiki;
  caller: Caller;
  repo: Repository;
  /** The repository's head as this request found it: a key for caches derived from the wiki's state. */
  head: string;
}

export type WikiContext = Context<{ Bindings: Env }>;

/** Resolves the wiki by host and the caller by the request's credentials, and checks the caller may `need` it. */
export async function wikiRequest(c: WikiContext, need: Need): Promise<WikiRequest> {
  const target = classifyHost(c.req.header('host'), c.env.APEX);
  if (target.kind !== 'wiki') throw new AppError('not_found', 'Not a wiki host.');
  return openWikiRequest(c.env, target.slug, need, (wiki, verifiers) => identify(c.req.raw, wiki, verifiers));
}

/**
 * Resolves the wiki `slug` and its caller (`callerOf`, from whatever
 * credential the transport carries), checks the caller may `need` it, and
 * opens the repository. Every HTTP and JS-RPC call of the wiki starts here.
 */
export async function openWikiRequest(env: Env, slug: string, need: Need, callerOf: (wiki: Wiki, verifiers: Verifiers) => Promise<Caller>): Promise<WikiRequest> {
  const db = dbFor(env, { keepStreams: WIKI_WORKER_STREAMS });
  const found = await cachedWikiState(slug, () => wikiWithRepoState(db, slug));
  if (!found) throw new AppError('not_found', `There is no wiki named "${slug}".`);
  const { wiki, state } = found;
  const verifiers = cachedVerifiers({ oauth: env.OAUTH, auth: env.AUTH, roleOf: (wikiId, did) => getRole(db, wikiId, did) });
  const caller = await callerOf(wiki, verifiers);
  requireAccess(caller, wiki, need);
  const repo = openRepository(db, env.DISK, wiki);
  // Creates the repository on first use and catches a lagging index up; no query when it is current.
  const { headCommit } = await ensureRepository(repo, env.APEX, state);
  return { wiki, caller, repo, head: headCommit };
}

/** The git author for what `caller` writes. */
export function authorOf(caller: Caller, apex: string): Identity {
  if (caller.kind !== 'member') throw new AppError('unauthorized', 'Sign in to write.');
  return { name: caller.name, email: `${caller.did}@${apex}` };
}
