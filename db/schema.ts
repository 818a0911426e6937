/**
 * The relational store's schema (sqld). Git holds page content; everything else
 * lives here. Timestamps are integer milliseconds since the epoch.
 * Change it, then run `npm run db:generate` to write the next migration.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const VISIBILITIES = ['private', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const createdAt = () => integer('created_at', { mode: 'number' }).notNull();

/** People, identified by their verified ATProto DID; the handle is only a label. */
export const users = sqliteTable(
  'users',
  {
    did: text('did').primaryKey(),
    handle: text('handle').notNull(),
    displayName: text('display_name'),
    isPlatformAdmin: integer('is_platform_admin', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
    lastLoginAt: integer('last_login_at', { mode: 'number' }),
    /** Most wikis this person may own; null: the platform default. */
    maxWikis: integer('max_wikis'),
  },
  (t) => [index('users_handle_idx').on(t.handle)],
);

/** One row per wiki; the slug is its subdomain and OAuth issuer, so it never changes. */
export const wikis = sqliteTable(
  'wikis',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    ownerDid: text('owner_did')
      .notNull()
      .references(() => users.did),
    visibility: text('visibility', { enum: VISIBILITIES }).notNull().default('private'),
    gitAccess: integer('git_access', { mode: 'boolean' }).notNull().default(true),
    /** Most bytes of pages and attachments the wiki may hold; null: the platform default. */
    maxBytes: integer('max_bytes'),
    /** Most pages the wiki may hold; null: the platform default. */
    maxPages: integer('max_pages'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('wikis_slug_idx').on(t.slug),
    index('wikis_owner_idx').on(t.ownerDid),
    check('wikis_visibility_check', sql`${t.visibility} in ('private', 'public')`),
  ],
);

/** Who may do what in a wiki. The owner is also a member with the role `owner`. */
export const members = sqliteTable(
  'members',
  {
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    userDid: text('user_did')
      .notNull()
      .references(() => users.did, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    addedBy: text('added_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.wikiId, t.userDid] }),
    index('members_user_idx').on(t.userDid),
    check('members_role_check', sql`${t.role} in ('owner', 'admin', 'editor', 'viewer')`),
  ],
);

/** Platform sign-in sessions; the session JWT carries `id`, checked here on every request. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userDid: text('user_did')
      .notNull()
      .references(() => users.did, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: integer('expires_at', { mode: 'number' }).notNull(),
    lastSeenAt: integer('last_seen_at', { mode: 'number' }),
    revokedAt: integer('revoked_at', { mode: 'number' }),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userDid)],
);

/** Personal access tokens: bound to one wiki and one user, stored only as a SHA-256 hash. */
export const personalAccessTokens = sqliteTable(
  'personal_access_tokens',
  {
    id: text('id').primaryKey(),
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    userDid: text('user_did')
      .notNull()
      .references(() => users.did, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Space-separated subset of TOKEN_SCOPES. */
    scopes: text('scopes').notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at', { mode: 'number' }),
    lastUsedAt: integer('last_used_at', { mode: 'number' }),
    revokedAt: integer('revoked_at', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('pat_hash_idx').on(t.tokenHash),
    index('pat_wiki_user_idx').on(t.wikiId, t.userDid),
  ],
);

/** Append-only record of who changed what. No foreign keys: entries outlive what they name. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'number' }).notNull(),
    actorDid: text('actor_did'),
    /** `user` (signed in), `token` (a program), `cli` (the admin CLI), `system`. */
    actorKind: text('actor_kind').notNull(),
    action: text('action').notNull(),
    wikiId: text('wiki_id'),
    target: text('target'),
    detail: text('detail'),
    requestId: text('request_id'),
  },
  (t) => [index('audit_wiki_idx').on(t.wikiId, t.at), index('audit_at_idx').on(t.at)],
);

// ---------------------------------------------------------------------------
// The wiki's derived index: everything here is rebuilt from git on demand.
// ---------------------------------------------------------------------------

/**
 * Each wiki's repository head, kept here so writers in any process serialise
 * on a compare-and-swap of `head_commit`; the disk ref mirrors it. The index
 * reflects `indexed_commit`; the reconciler brings it up to `head_commit`.
 */
export const wikiRepos = sqliteTable('wiki_repos', {
  wikiId: text('wiki_id')
    .primaryKey()
    .references(() => wikis.id, { onDelete: 'cascade' }),
  headCommit: text('head_commit'),
  indexedCommit: text('indexed_commit'),
  /**
   * The indexing rules the index was built with (INDEX_VERSION in
   * workers/wiki/index/index-version.ts); an older one is rebuilt from git
   * when the stack starts. Indexes from before versions are 1.
   */
  indexVersion: integer('index_version', { mode: 'number' }).notNull().default(1),
  updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
});

/**
 * Who pushed each commit that came in by `git push`. A pushed commit's author
 * and committer are whatever the pusher's git wrote, so history shows the
 * member who brought it in beside them. Not derived from git (git does not
 * record pushes): an index rebuild keeps these rows.
 */
export const wikiPushes = sqliteTable(
  'wiki_pushes',
  {
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    commit: text('commit').notNull(),
    /** The member's DID (their handle is looked up when shown). */
    pusherDid: text('pusher_did').notNull(),
    pushedAt: integer('pushed_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.wikiId, t.commit] })],
);

/** One row per page at the indexed commit. `path` is the page key (no `.md`, `_` for spaces). */
export const pages = sqliteTable(
  'pages',
  {
    /** Stable row id (an INTEGER PRIMARY KEY survives VACUUM); also the page's full-text rowid. */
    id: integer('id').primaryKey({ autoIncrement: true }),
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    /** The file in git: `path.md`, or a legacy name with real spaces. */
    filePath: text('file_path').notNull(),
    title: text('title').notNull(),
    /** Frontmatter as JSON, or null. */
    frontmatter: text('frontmatter'),
    category: text('category'),
    /** Space-separated, with a leading and trailing space so `like '% tag %'` matches whole tags. */
    tags: text('tags').notNull().default(''),
    size: integer('size').notNull(),
    blobOid: text('blob_oid').notNull(),
    updatedCommit: text('updated_commit').notNull(),
    updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    uniqueIndex('pages_path_idx').on(t.wikiId, t.path),
    index('pages_updated_idx').on(t.wikiId, t.updatedAt),
    index('pages_category_idx').on(t.wikiId, t.category),
  ],
);

/**
 * Each page's body as the index last read it (semantic search chunks it from
 * here). `pages_fts` holds only prefixed words and no text (see
 * workers/wiki/search/wiki-words.ts). Rows go with their page (trigger in 0012).
 */
export const pageTexts = sqliteTable('page_texts', {
  /** The page's `pages.id`. */
  id: integer('id').primaryKey(),
  body: text('body').notNull(),
});

/** Every commit of a wiki, newest first by `at`: recent changes without walking git. */
export const wikiCommits = sqliteTable(
  'wiki_commits',
  {
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    oid: text('oid').notNull(),
    /** 1, 2, 3… in the order the index took the commits in: history order, even within one second. */
    seq: integer('seq').notNull(),
    parent: text('parent'),
    authorName: text('author_name').notNull(),
    authorEmail: text('author_email').notNull(),
    at: integer('at', { mode: 'number' }).notNull(),
    message: text('message').notNull(),
  },
  (t) => [primaryKey({ columns: [t.wikiId, t.oid] }), uniqueIndex('wiki_commits_seq_idx').on(t.wikiId, t.seq)],
);

/** What each commit did to each page: a page's history is one indexed range scan. */
export const pageRevisions = sqliteTable(
  'page_revisions',
  {
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    commit: text('commit').notNull(),
    /** The commit's `seq` (see wikiCommits). */
    seq: integer('seq').notNull(),
    /** The page's blob after the commit; null when the commit deleted it. */
    blobOid: text('blob_oid'),
    change: text('change', { enum: ['added', 'modified', 'deleted'] }).notNull(),
    at: integer('at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.wikiId, t.path, t.commit] }), index('page_revisions_history_idx').on(t.wikiId, t.path, t.seq)],
);

/** The link graph: page `src` links to page key `dst` (which may not exist: a wanted page). */
export const pageLinks = sqliteTable(
  'page_links',
  {
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    src: text('src').notNull(),
    dst: text('dst').notNull(),
  },
  (t) => [primaryKey({ columns: [t.wikiId, t.src, t.dst] }), index('page_links_dst_idx').on(t.wikiId, t.dst)],
);

/** Attachments: non-page files inside a page's folder. */
export const attachments = sqliteTable(
  'attachments',
  {
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    page: text('page').notNull(),
    name: text('name').notNull(),
    filePath: text('file_path').notNull(),
    size: integer('size').notNull(),
    blobOid: text('blob_oid').notNull(),
    updatedCommit: text('updated_commit').notNull(),
    updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.wikiId, t.page, t.name] })],
);

/**
 * Always empty. An atomic batch starts with an insert into it that fails its
 * CHECK exactly when a precondition does not hold (e.g. the head moved), so
 * the whole batch rolls back: compare-and-swap for multi-statement writes,
 * without interactive transactions (which D1 and Durable Objects lack).
 */
export const casGuard = sqliteTable('cas_guard', { ok: integer('ok').notNull() }, (t) => [check('cas_guard_ok', sql`${t.ok} = 1`)]);

/**
 * What each wiki holds, kept by triggers on `pages` and `attachments`
 * (migration 0009), so a write's quota check reads one row instead of
 * summing every page. Derived, like the rest of the index.
 */
export const wikiUsage = sqliteTable('wiki_usage', {
  wikiId: text('wiki_id')
    .primaryKey()
    .references(() => wikis.id, { onDelete: 'cascade' }),
  bytes: integer('bytes').notNull().default(0),
  pages: integer('pages').notNull().default(0),
});

/** Like `casGuard`, for a write that would take a wiki over its quota (a separate table, so the failure says which). */
export const quotaGuard = sqliteTable('quota_guard', { ok: integer('ok').notNull() }, (t) => [check('quota_guard_ok', sql`${t.ok} = 1`)]);

/**
 * Like `casGuard`, for what a writer assumed about a page instead of reading it
 * first (e.g. "it does not exist yet"): when the assumption is wrong the batch
 * fails and says so, and the writer reads and decides the slow way.
 */
export const pageGuard = sqliteTable('page_guard', { ok: integer('ok').notNull() }, (t) => [check('page_guard_ok', sql`${t.ok} = 1`)]);

// ---------------------------------------------------------------------------
// Sign-in (auth worker) and abuse limits (every worker).
// ---------------------------------------------------------------------------

/**
 * The ATProto OAuth client's stores: in-flight authorization requests (`state`)
 * and per-DID sessions (DPoP key and tokens). `value` is AES-GCM ciphertext
 * under DATA_KEY, so a copy of the database leaks no DPoP keys or tokens.
 */
export const atprotoOauthStates = sqliteTable(
  'atproto_oauth_states',
  {
    key: text('key').primaryKey(),
    value: text('value').notNull(),
    expiresAt: integer('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('atproto_oauth_states_expiry_idx').on(t.expiresAt)],
);

export const atprotoOauthSessions = sqliteTable('atproto_oauth_sessions', {
  did: text('did').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
});

/**
 * Short leases across processes: the OAuth client's `requestLock` (two
 * refreshes of one session would burn its single-use refresh token).
 */
export const leases = sqliteTable('leases', {
  key: text('key').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at', { mode: 'number' }).notNull(),
});

/**
 * One-time codes that carry a fresh sign-in from the host the OAuth callback
 * landed on (127.0.0.1 for the loopback client) to the apex, where the session
 * cookie is set and the session created. Stored as a hash; single use; a
 * minute to live.
 */
export const signInHandovers = sqliteTable('sign_in_handovers', {
  codeHash: text('code_hash').primaryKey(),
  userDid: text('user_did')
    .notNull()
    .references(() => users.did, { onDelete: 'cascade' }),
  returnTo: text('return_to').notNull(),
  /** Hash of the nonce in the browser's sign-in cookie: only the browser that started the sign-in may finish it. */
  nonceHash: text('nonce_hash').notNull(),
  expiresAt: integer('expires_at', { mode: 'number' }).notNull(),
  usedAt: integer('used_at', { mode: 'number' }),
});

/** Unexpected errors (500s) of every worker, newest kept, for the platform admin page. */
export const errorLog = sqliteTable(
  'error_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'number' }).notNull(),
    worker: text('worker').notNull(),
    requestId: text('request_id'),
    method: text('method'),
    url: text('url'),
    message: text('message').notNull(),
  },
  (t) => [index('error_log_at_idx').on(t.at)],
);

/**
 * Fixed-window rate-limit counters, shared by every process: `key` names the
 * limit and the subject (e.g. `signin:ip:203.0.113.9`), `window_start` the
 * window; rows of past windows are swept.
 */
/** Like `casGuard`, for a write counted in its own batch that went over the writer's limit (`rateLimits`). */
export const rateGuard = sqliteTable('rate_guard', { ok: integer('ok').notNull() }, (t) => [check('rate_guard_ok', sql`${t.ok} = 1`)]);

export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: integer('window_start', { mode: 'number' }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_window_idx').on(t.windowStart)],
);

// ---------------------------------------------------------------------------
// The MCP authorization server (oauth worker): one issuer per wiki host.
// ---------------------------------------------------------------------------

/**
 * Clients known to the authorization server: Client ID Metadata Documents
 * (a URL client id, fetched and cached for every wiki) and dynamically
 * registered clients (bound to the wiki that registered them, expiring).
 */
export const oauthClients = sqliteTable(
  'oauth_clients',
  {
    clientId: text('client_id').primaryKey(),
    kind: text('kind', { enum: ['cimd', 'dcr'] }).notNull(),
    /** The registering wiki (DCR only): another wiki's DCR client is unknown. */
    wikiId: text('wiki_id').references(() => wikis.id, { onDelete: 'cascade' }),
    /** The validated metadata, JSON. */
    metadata: text('metadata').notNull(),
    /** DCR clients with a secret: its SHA-256 hash. */
    secretHash: text('secret_hash'),
    /** DCR: hash of the registered metadata, to answer a repeated registration with the same client. */
    metadataHash: text('metadata_hash'),
    createdAt: createdAt(),
    /** CIMD: when to fetch again; DCR: when the registration lapses. */
    expiresAt: integer('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('oauth_clients_dedupe_idx').on(t.wikiId, t.metadataHash)],
);

/** One authorisation: a person let a client act on one wiki with some scopes. Tokens hang off it. */
export const oauthGrants = sqliteTable(
  'oauth_grants',
  {
    id: text('id').primaryKey(),
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    userDid: text('user_did')
      .notNull()
      .references(() => users.did, { onDelete: 'cascade' }),
    clientId: text('client_id').notNull(),
    clientName: text('client_name').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    /** Space-separated subset of TOKEN_SCOPES. */
    scopes: text('scopes').notNull(),
    /** The audience: this wiki's MCP URL. */
    resource: text('resource').notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at', { mode: 'number' }),
    revokedAt: integer('revoked_at', { mode: 'number' }),
  },
  (t) => [index('oauth_grants_wiki_idx').on(t.wikiId, t.userDid)],
);

/** Authorization codes: hashed, single use, short-lived; a replay revokes the grant. */
export const oauthCodes = sqliteTable('oauth_codes', {
  codeHash: text('code_hash').primaryKey(),
  grantId: text('grant_id')
    .notNull()
    .references(() => oauthGrants.id, { onDelete: 'cascade' }),
  codeChallenge: text('code_challenge').notNull(),
  expiresAt: integer('expires_at', { mode: 'number' }).notNull(),
  usedAt: integer('used_at', { mode: 'number' }),
});

/**
 * Access and refresh tokens, stored only as hashes and always looked up with
 * their wiki. A used refresh token records its successor and, sealed with a
 * key only the old token's holder can derive, the answer it got: a duplicate
 * refresh inside the grace window gets the same answer.
 */
export const oauthTokens = sqliteTable(
  'oauth_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    grantId: text('grant_id')
      .notNull()
      .references(() => oauthGrants.id, { onDelete: 'cascade' }),
    wikiId: text('wiki_id').notNull(),
    kind: text('kind', { enum: ['access', 'refresh'] }).notNull(),
    scopes: text('scopes').notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at', { mode: 'number' }).notNull(),
    /** Refresh tokens: when it was exchanged, and the sealed answer for duplicates within the grace window. */
    rotatedAt: integer('rotated_at', { mode: 'number' }),
    rotationAnswer: text('rotation_answer'),
  },
  (t) => [index('oauth_tokens_grant_idx').on(t.grantId), index('oauth_tokens_expiry_idx').on(t.expiresAt)],
);

// ---------------------------------------------------------------------------
// Meaning-based search (workers/wiki/semantic): chunks of pages, their
// embeddings in a per-wiki vector table, and the queue that keeps them current.
// ---------------------------------------------------------------------------

/**
 * Each wiki's semantic index: the embedding provider, model and dimension that
 * made it, and the name of the wiki's vector table (`semvec_…`, one row per
 * chunk id: `id INTEGER PRIMARY KEY, embedding F32_BLOB(dimensions)` with a
 * `libsql_vector_idx`). That table is created at run time, because its column
 * carries the model's dimension; a different provider, model or dimension
 * replaces it and reindexes the wiki. A wiki's own table keeps its nearest-
 * neighbour search to its own chunks. Orphaned tables (a deleted wiki) are swept.
 */
export const semanticIndexes = sqliteTable('semantic_indexes', {
  wikiId: text('wiki_id')
    .primaryKey()
    .references(() => wikis.id, { onDelete: 'cascade' }),
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  dimensions: integer('dimensions').notNull(),
  vectorTable: text('vector_table').notNull(),
  createdAt: createdAt(),
  /** The last whole-wiki reindex (a model change or a request): when, over how many pages, and when the queue ran dry. */
  reindexStartedAt: integer('reindex_started_at', { mode: 'number' }),
  reindexTotal: integer('reindex_total').notNull().default(0),
  reindexFinishedAt: integer('reindex_finished_at', { mode: 'number' }),
});

/**
 * One row per chunk of a page (workers/wiki/semantic/chunking.ts) at the
 * page's `revision`. `id` is also the rowid of the chunk's vector and of its
 * row in `semantic_chunks_fts` (kept by triggers); AUTOINCREMENT, so an id is
 * never reused.
 */
export const semanticChunks = sqliteTable(
  'semantic_chunks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    wikiId: text('wiki_id')
      .notNull()
      .references(() => wikis.id, { onDelete: 'cascade' }),
    page: text('page').notNull(),
    /** The page's commit (`pages.updated_commit`) the chunk was made from. */
    revision: text('revision').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    chunkCount: integer('chunk_count').notNull(),
    /** The heading path as read_note's `section` takes it; '' before the first heading. */
    section: text('section').notNull(),
    /** Page title and first headings: the embedded text is `[prefix] text`. */
    prefix: text('prefix').notNull(),
    text: text('text').notNull(),
  },
  (t) => [index('semantic_chunks_page_idx').on(t.wikiId, t.page)],
);

/**
 * Pages whose chunks must be (re)made: filled by triggers on `pages` in the same
 * statement that changes the index (so in the same atomic batch as every write),
 * emptied by the drainer. `gen` counts enqueues: the drainer only removes the
 * row if no write came since it read the page. No foreign key: the delete
 * trigger must not fail a wiki's deletion; rows of a deleted wiki are dropped.
 */
export const semanticQueue = sqliteTable(
  'semantic_queue',
  {
    wikiId: text('wiki_id').notNull(),
    path: text('path').notNull(),
    gen: integer('gen').notNull().default(1),
    /** Re-embed every chunk, even those whose text is unchanged (a requested reindex). */
    force: integer('force', { mode: 'boolean' }).notNull().default(false),
    enqueuedAt: integer('enqueued_at', { mode: 'number' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Not before this time (backoff after a failure). */
    notBefore: integer('not_before', { mode: 'number' }).notNull().default(0),
    /** A drainer holds the row until then. */
    leaseUntil: integer('lease_until', { mode: 'number' }).notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [primaryKey({ columns: [t.wikiId, t.path] }), index('semantic_queue_order_idx').on(t.enqueuedAt)],
);
