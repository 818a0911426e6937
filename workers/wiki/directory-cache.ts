/**
 * What the wiki worker reads from the store on every request, kept per
 * isolate for DIRECTORY_TTL_MS (2 × that at most while it reloads): a wiki's row with its repository
 * state, and the answers of credential checks (token grants, sessions,
 * roles). Without it every page view pays three or four round trips to sqld
 * and the auth workers before its own work starts.
 *
 * Freshness: this worker forgets a wiki's state the moment it writes the
 * wiki (so a client always reads its own writes); the admin CLI and the
 * platform tell the stack when they change wikis, members, tokens or
 * sessions (POST /internal/directory-changed → `forgetDirectory`), which
 * empties every entry. Anything else that edits the store directly is seen
 * within 2 × DIRECTORY_TTL_MS. Writes never trust this cache: they check the
 * head in the store (storage/repo-state.ts).
 */
import type { Role } from '../../db/schema.ts';
import type { Wiki } from '../lib/directory/wikis.ts';
import { ExpiringCache } from '../lib/expiring-cache.ts';
import type { Verifiers } from './access.ts';
import type { RepoState } from './storage/repo-state.ts';

export const DIRECTORY_TTL_MS = 1000;

type WikiState = { wiki: Wiki; state: RepoState | null } | null;

const wikiStates = new ExpiringCache<WikiState>({ maxEntries: 2000, ttlMs: DIRECTORY_TTL_MS });
const tokenGrants = new ExpiringCache<Awaited<ReturnType<Verifiers['oauth']['verifyToken']>>>({ maxEntries: 2000, ttlMs: DIRECTORY_TTL_MS });
const sessions = new ExpiringCache<Awaited<ReturnType<Verifiers['auth']['verifySession']>>>({ maxEntries: 2000, ttlMs: DIRECTORY_TTL_MS });
const roles = new ExpiringCache<Role | null>({ maxEntries: 4000, ttlMs: DIRECTORY_TTL_MS });

/** A wiki and its repository state by slug. Unknown slugs are not remembered (a new wiki is found at once). */
export function cachedWikiState(slug: string, load: () => Promise<WikiState>): Promise<WikiState> {
  return wikiStates.get(slug, load, (found) => found !== null);
}

/** After this worker moved a wiki's head or index in a way it cannot describe: the next request reads the state again. */
export function forgetWikiState(slug: string): void {
  wikiStates.forget(slug);
}

/** After this worker committed `commit` and indexed it: the wiki's state is known without asking the store. */
export function noteWikiHead(slug: string, commit: string): void {
  const known = wikiStates.peek(slug);
  if (known) wikiStates.set(slug, { wiki: known.wiki, state: { headCommit: commit, indexedCommit: commit } });
  else wikiStates.forget(slug);
}

/** The repository state this isolate remembers for `slug` (undefined: ask the store). */
export function rememberedRepoState(slug: string): RepoState | undefined {
  const known = wikiStates.peek(slug);
  return known?.state ?? undefined;
}

/**
 * The credential checks of `verifiers`: token grants and sessions remembered
 * when they succeed (failures are always asked again), roles either way.
 */
export function cachedVerifiers(verifiers: Verifiers): Verifiers {
  return {
    oauth: { verifyToken: (slug, token) => tokenGrants.get(`${slug}\n${token}`, () => verifiers.oauth.verifyToken(slug, token), (g) => g !== null) },
    auth: { verifySession: (token) => sessions.get(token, () => verifiers.auth.verifySession(token), (s) => s !== null) },
    roleOf: (wikiId, did) => roles.get(`${wikiId}\n${did}`, () => verifiers.roleOf(wikiId, did)),
  };
}

/** Someone changed wikis, members, tokens or sessions: forget everything. */
export function forgetDirectory(): void {
  for (const cache of [wikiStates, tokenGrants, sessions, roles]) cache.forget();
}
