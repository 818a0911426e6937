/**
 * The admin CLI's commands. Each one parses its arguments with zod and calls
 * the same directory functions the platform worker uses, so the CLI and the web
 * can never disagree about the rules.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { ROLES, VISIBILITIES } from '../../db/schema.ts';
import type { Db } from '../../workers/lib/db.ts';
import type { Actor } from '../../workers/lib/directory/audit.ts';
import { getRole, listMembers, removeMember, setMember } from '../../workers/lib/directory/members.ts';
import { listPersonalAccessTokens, mintPersonalAccessToken, parseScopes, revokePersonalAccessToken } from '../../workers/lib/directory/personal-access-tokens.ts';
import { findUser, listUsers, upsertUser } from '../../workers/lib/directory/users.ts';
import { createWiki, listWikis, requireWiki, setWikiQuota } from '../../workers/lib/directory/wikis.ts';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES } from '../../workers/wiki/index/guard.ts';
import { scopesForRole } from '../../workers/lib/roles.ts';
import { createSession, revokeSession, SESSION_COOKIE } from '../../workers/lib/directory/sessions.ts';
import { signSessionToken } from '../../workers/lib/session-token.ts';
import { importJWK, type JWK } from 'jose';
import { dataPaths } from './data-dir.ts';
import { loadOrCreateKeys } from './keys.ts';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { wikiRepos } from '../../db/schema.ts';
import { importWiki } from './import-wiki.ts';
import { rebuildIndexOnDisk, wikiGitDir } from './upgrade-indexes.ts';
import { readSettings } from './settings.ts';

export class UsageError extends Error {}

export interface Output {
  out(line: string): void;
  /** The data directory (for commands that need its keys). */
  dataDir: string;
}

interface Command {
  /** Only reads the store (a running stack need not hear of it). */
  readOnly?: true;
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals: string[];
  run(db: Db, args: { positionals: string[]; values: Record<string, string | boolean | undefined> }, io: Output): Promise<void>;
}

const CLI_ACTOR: Actor = { kind: 'cli' };

function fmtTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Prints rows as aligned columns. */
function table(io: Output, header: string[], rows: string[][]): void {
  if (rows.length === 0) {
    io.out('(none)');
    return;
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  io.out(line(header));
  for (const r of rows) io.out(line(r));
}

/** `30d`, `12h`, `never`, or an ISO date, into an absolute expiry (ms) or null. */
export function parseExpiry(text: string, now = Date.now()): number | null {
  if (text === 'never') return null;
  const rel = /^(\d{1,4})([hdwy])$/.exec(text);
  if (rel) {
    const unit = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 }[rel[2] as 'h' | 'd' | 'w' | 'y'];
    return now + Number(rel[1]) * unit;
  }
  const abs = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(abs)) return abs;
  throw new UsageError(`cannot read the expiry "${text}": use 30d, 12h, 4w, 1y, never or a date like 2027-01-31`);
}

function pick<T extends readonly string[]>(allowed: T, value: unknown, what: string): T[number] {
  const r = z.enum(allowed as unknown as [string, ...string[]]).safeParse(value);
  if (!r.success) throw new UsageError(`${what} must be one of: ${allowed.join(', ')}`);
  return r.data as T[number];
}

export const COMMANDS: Record<string, Command> = {
  'user add': {
    usage: 'user add <did> <handle> [--name NAME] [--platform-admin]',
    summary: 'create a user, or refresh their handle and name',
    options: { name: { type: 'string' }, 'platform-admin': { type: 'boolean' } },
    positionals: ['did', 'handle'],
    async run(db, { positionals: [did, handle], values }, io) {
      const user = await upsertUser(db, { did: did!, handle: handle!, ...(values.name !== undefined ? { displayName: String(values.name) } : {}), ...(values['platform-admin'] ? { isPlatformAdmin: true } : {}) }, CLI_ACTOR);
      io.out(`user ${user.did} (${user.handle})${user.isPlatformAdmin ? ' [platform admin]' : ''}`);
    },
  },
  'user list': {
    readOnly: true,
    usage: 'user list',
    summary: 'list users',
    options: {},
    positionals: [],
    async run(db, _args, io) {
      const rows = await listUsers(db);
      table(io, ['DID', 'HANDLE', 'NAME', 'ADMIN', 'CREATED'], rows.map((u) => [u.did, u.handle, u.displayName ?? '', u.isPlatformAdmin ? 'yes' : '', fmtTime(u.createdAt)]));
    },
  },
  'wiki create': {
    usage: 'wiki create <slug> --owner <did|handle> [--title T] [--description D] [--visibility private|public] [--no-git]',
    summary: 'create a wiki with its owner',
    options: { owner: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, visibility: { type: 'string' }, 'no-git': { type: 'boolean' } },
    positionals: ['slug'],
    async run(db, { positionals: [slug], values }, io) {
      if (typeof values.owner !== 'string') throw new UsageError('--owner is required');
      const owner = await findUser(db, values.owner);
      const wiki = await createWiki(
        db,
        {
          slug: slug!,
          ownerDid: owner.did,
          ...(typeof values.title === 'string' ? { title: values.title } : {}),
          ...(typeof values.description === 'string' ? { description: values.description } : {}),
          ...(values.visibility !== undefined ? { visibility: pick(VISIBILITIES, values.visibility, '--visibility') } : {}),
          gitAccess: !values['no-git'],
        },
        CLI_ACTOR,
      );
      io.out(`wiki ${wiki.slug} created (${wiki.visibility}), owner ${owner.handle}`);
    },
  },
  'wiki list': {
    readOnly: true,
    usage: 'wiki list',
    summary: 'list wikis',
    options: {},
    positionals: [],
    async run(db, _args, io) {
      const wikis = await listWikis(db);
      table(io, ['SLUG', 'TITLE', 'VISIBILITY', 'GIT', 'OWNER', 'CREATED'], wikis.map((w) => [w.slug, w.title, w.visibility, w.gitAccess ? 'on' : 'off', w.ownerDid, fmtTime(w.createdAt)]));
    },
  },
  'wiki quota': {
    usage: 'wiki quota <slug> [--bytes N|default] [--pages N|default]',
    summary: "show or set how much a wiki may hold (pages and attachments)",
    options: { bytes: { type: 'string' }, pages: { type: 'string' } },
    positionals: ['slug'],
    async run(db, { positionals: [slug], values }, io) {
      const limit = (text: unknown, flag: string): number | null | undefined => {
        if (text === undefined) return undefined;
        if (text === 'default') return null;
        if (typeof text !== 'string' || !/^\d+$/.test(text)) throw new UsageError(`${flag} takes a whole number or "default"`);
        return Number(text);
      };
      const maxBytes = limit(values.bytes, '--bytes');
      const maxPages = limit(values.pages, '--pages');
      const wiki = maxBytes === undefined && maxPages === undefined ? await requireWiki(db, slug!) : await setWikiQuota(db, slug!, { ...(maxBytes !== undefined ? { maxBytes } : {}), ...(maxPages !== undefined ? { maxPages } : {}) }, CLI_ACTOR);
      io.out(`${wiki.slug}: at most ${wiki.maxBytes ?? `${DEFAULT_MAX_BYTES} (default)`} bytes in at most ${wiki.maxPages ?? `${DEFAULT_MAX_PAGES} (default)`} pages`);
    },
  },
  'wiki reindex': {
    usage: 'wiki reindex <slug>',
    summary: "rebuild a wiki's index (pages, history, links, search) from its git repository",
    options: {},
    positionals: ['slug'],
    async run(db, { positionals: [slug] }, io) {
      const wiki = await requireWiki(db, slug!);
      const gitRoot = dataPaths(io.dataDir).git;
      if (!fs.existsSync(wikiGitDir(gitRoot, wiki.id))) throw new UsageError(`${slug} has no repository yet (it is created on first use)`);
      const [state] = await db.select().from(wikiRepos).where(eq(wikiRepos.wikiId, wiki.id));
      if (!state?.headCommit) throw new UsageError(`${slug} has no recorded head yet; open the wiki once first`);
      const started = performance.now();
      const result = await rebuildIndexOnDisk(db, gitRoot, wiki);
      io.out(`${slug}: indexed ${result.commits} commits in ${Math.round(performance.now() - started)} ms`);
    },
  },
  'wiki import': {
    usage: 'wiki import <slug> <repository-dir|bundle> [--owner <did|handle>] [--title T] [--visibility private|public] [--no-git] [--branch NAME] [--layout auto|robot|otterwiki]',
    summary: "make a wiki from a robot.wtf or Otterwiki git repository or bundle, with its history (into a new wiki, or one that is still untouched)",
    options: { owner: { type: 'string' }, title: { type: 'string' }, visibility: { type: 'string' }, 'no-git': { type: 'boolean' }, branch: { type: 'string' }, layout: { type: 'string' } },
    positionals: ['slug', 'source'],
    async run(db, { positionals: [slug, source], values }, io) {
      const started = performance.now();
      const result = await importWiki(db, {
        slug: slug!,
        source: path.resolve(source!),
        ...(typeof values.owner === 'string' ? { owner: values.owner } : {}),
        ...(typeof values.title === 'string' ? { title: values.title } : {}),
        ...(values.visibility !== undefined ? { visibility: pick(VISIBILITIES, values.visibility, '--visibility') } : {}),
        ...(values['no-git'] ? { gitAccess: false } : {}),
        ...(typeof values.branch === 'string' ? { branch: values.branch } : {}),
        layout: pick(['auto', 'robot', 'otterwiki'] as const, values.layout ?? 'auto', '--layout'),
        apex: readSettings().apex,
        dataDir: io.dataDir,
        actor: CLI_ACTOR,
      });
      const layout = result.layout === 'otterwiki' ? `Otterwiki's lowercased layout, converted (${result.renamed} files and folders renamed)` : "robot.wtf's layout, as is";
      io.out(`wiki ${result.wiki.slug} ${result.created ? 'created' : 'filled'} from ${result.ref.replace(/^refs\/heads\//, '')}: ${result.commits} commits (${layout}) in ${Math.round(performance.now() - started)} ms`);
    },
  },
  'member add': {
    usage: 'member add <slug> <did|handle> [--role owner|admin|editor|viewer]',
    summary: 'add a member, or change their role (default editor)',
    options: { role: { type: 'string' } },
    positionals: ['slug', 'user'],
    async run(db, { positionals: [slug, who], values }, io) {
      const role = pick(ROLES, values.role ?? 'editor', '--role');
      const wiki = await requireWiki(db, slug!);
      const user = await findUser(db, who!);
      await setMember(db, wiki, user.did, role, CLI_ACTOR);
      io.out(`${user.handle} is now ${role} of ${wiki.slug}`);
    },
  },
  'member remove': {
    usage: 'member remove <slug> <did|handle>',
    summary: "remove a member (their tokens for the wiki are revoked)",
    options: {},
    positionals: ['slug', 'user'],
    async run(db, { positionals: [slug, who] }, io) {
      const wiki = await requireWiki(db, slug!);
      const user = await findUser(db, who!);
      await removeMember(db, wiki, user.did, CLI_ACTOR);
      io.out(`${user.handle} removed from ${wiki.slug}`);
    },
  },
  'member list': {
    readOnly: true,
    usage: 'member list <slug>',
    summary: 'list the members of a wiki',
    options: {},
    positionals: ['slug'],
    async run(db, { positionals: [slug] }, io) {
      const wiki = await requireWiki(db, slug!);
      const list = await listMembers(db, wiki.id);
      table(io, ['HANDLE', 'DID', 'ROLE', 'ADDED'], list.map((m) => [m.handle, m.did, m.role, fmtTime(m.addedAt)]));
    },
  },
  'token mint': {
    usage: 'token mint <slug> <did|handle> --name NAME [--scopes read,write] [--expires 90d|never|DATE]',
    summary: 'mint a personal access token for one wiki and one member (printed once)',
    options: { name: { type: 'string' }, scopes: { type: 'string' }, expires: { type: 'string' } },
    positionals: ['slug', 'user'],
    async run(db, { positionals: [slug, who], values }, io) {
      if (typeof values.name !== 'string') throw new UsageError('--name is required');
      const expiresAt = parseExpiry(typeof values.expires === 'string' ? values.expires : '90d');
      const wiki = await requireWiki(db, slug!);
      const user = await findUser(db, who!);
      const role = await getRole(db, wiki.id, user.did);
      // By default, everything the member's role allows.
      const scopes = typeof values.scopes === 'string' ? parseScopes(values.scopes) : role ? scopesForRole(role) : ['read' as const];
      const { id, token } = await mintPersonalAccessToken(db, { wiki, userDid: user.did, name: values.name, scopes, expiresAt }, CLI_ACTOR);
      io.out(`token ${id} for ${user.handle} on ${wiki.slug} (${scopes.join(' ')}), expires ${fmtTime(expiresAt)}`);
      io.out('It is shown only now; store it safely:');
      io.out(token);
    },
  },
  'session create': {
    usage: 'session create <did|handle> [--ttl 30d]',
    summary: 'sign a user in without the sign-in service: prints a session token (the wf_session cookie) once',
    options: { ttl: { type: 'string' } },
    positionals: ['user'],
    async run(db, { positionals: [who], values }, io) {
      const user = await findUser(db, who!);
      const ttl = parseExpiry(typeof values.ttl === 'string' ? values.ttl : '30d', 0);
      if (ttl === null) throw new UsageError('a session must expire: use a duration such as 30d');
      const { keys } = await loadOrCreateKeys(dataPaths(io.dataDir).keys);
      const jwk = JSON.parse(keys.sessionJwk) as JWK;
      const session = await createSession(db, user.did, { ttlMs: ttl }, CLI_ACTOR);
      const token = await signSessionToken(await importJWK(jwk, 'RS256'), jwk.kid!, { did: user.did, sessionId: session.id }, session.expiresAt);
      io.out(`session ${session.id} for ${user.handle}, expires ${fmtTime(session.expiresAt)}`);
      io.out(`Set it as the ${SESSION_COOKIE} cookie; it is shown only now:`);
      io.out(token);
    },
  },
  'session revoke': {
    usage: 'session revoke <session-id>',
    summary: 'sign a session out',
    options: {},
    positionals: ['id'],
    async run(db, { positionals: [id] }, io) {
      await revokeSession(db, id!, CLI_ACTOR);
      io.out(`session ${id} revoked`);
    },
  },
  'token revoke': {
    usage: 'token revoke <token-id>',
    summary: 'revoke a personal access token',
    options: {},
    positionals: ['id'],
    async run(db, { positionals: [id] }, io) {
      await revokePersonalAccessToken(db, id!, CLI_ACTOR);
      io.out(`token ${id} revoked`);
    },
  },
  'token list': {
    readOnly: true,
    usage: 'token list <slug> [--user did|handle]',
    summary: "list a wiki's personal access tokens (never their secrets)",
    options: { user: { type: 'string' } },
    positionals: ['slug'],
    async run(db, { positionals: [slug], values }, io) {
      const wiki = await requireWiki(db, slug!);
      const user = typeof values.user === 'string' ? await findUser(db, values.user) : undefined;
      const list = await listPersonalAccessTokens(db, { wikiId: wiki.id, ...(user ? { userDid: user.did } : {}) });
      table(io, ['ID', 'NAME', 'USER', 'SCOPES', 'EXPIRES', 'LAST USED', 'STATE'], list.map((t) => [t.id, t.name, t.userDid, t.scopes.join(' '), fmtTime(t.expiresAt), fmtTime(t.lastUsedAt), t.revokedAt ? 'revoked' : t.expiresAt !== null && t.expiresAt < Date.now() ? 'expired' : 'active']));
    },
  },
};

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  admin ${c.usage}\n      ${c.summary}`);
  return `usage: npm run admin -- <command>\n\n${lines.join('\n')}\n\nThe data directory is DATA_DIR (default .data). Works whether the stack runs or not.`;
}

/** Finds the command named by the first two words and parses the rest of argv for it. */
export function parseCommand(argv: string[]): { command: Command; positionals: string[]; values: Record<string, string | boolean | undefined> } {
  const name = argv.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  if (!command) throw new UsageError(argv.length ? `unknown command "${name}"` : 'no command given');
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(2), options: command.options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: admin ${command.usage}`);
  }
  if (parsed.positionals.length !== command.positionals.length) {
    throw new UsageError(`expected ${command.positionals.map((p) => `<${p}>`).join(' ') || 'no arguments'}\nusage: admin ${command.usage}`);
  }
  return { command, positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined> };
}
