/**
 * The wiki's operations over JS-RPC, for the MCP worker: the same service
 * functions the REST API calls, with the same access checks, so MCP never
 * goes over HTTP. `WikiRpc.open(slug, token)` checks the token against that
 * wiki (a token for another wiki is refused) and returns a session whose
 * methods act as the token's holder.
 *
 * Every method answers `RpcResult`: expected failures come back as values
 * with the REST API's stable codes and messages (errors thrown across RPC
 * lose their fields), anything else is thrown.
 */
import { rpcAnswer, type RpcError, type RpcResult } from '../../lib/rpc-result.ts';
import { admitWrite } from '../write-limits.ts';
import { RpcTarget } from 'cloudflare:workers';
import { z } from 'zod';
import { parseOrThrow } from '../../lib/validate.ts';
import { requireAccess, tokenCaller } from '../access.ts';
import { authorOf, openWikiRequest, type Env, type WikiRequest } from '../context.ts';
import { readSection, unifiedDiff } from '../edit/index.ts';
import { pageKeyOrThrow } from '../pages/page-name.ts';
import { deleteAttachment, listAttachments, putAttachment, readAttachment } from '../service/attachments.ts';
import { deletePage } from '../service/delete-page.ts';
import { editPage, type PageEdit } from '../service/edit-page.ts';
import { brokenLinks, orphanPages, pageLinksOf } from '../service/links.ts';
import { pageVersions } from '../service/page-at.ts';
import { cachedForHead } from '../service/head-cache.ts';
import { listPages, pageHistory, putPage, readPage, recentChanges } from '../service/pages.ts';
import { renamePage } from '../service/rename.ts';
import { revertCommit } from '../service/revert.ts';
import { searchPages } from '../search/search-pages.ts';
import { snippetToText } from '../search/snippet.ts';
import { searchByMeaning } from '../semantic/answer.ts';
import { drainSoon, providerFor } from '../semantic/runner.ts';
import { MAX_CHUNKS_PER_PAGE, MAX_RESULTS } from '../semantic/search.ts';

export type { RpcError, RpcResult };

const text = z.string();
const message = z.string().max(2000).optional();
const revision = z.string().max(64).optional();
const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);

const listInput = z.object({ prefix: z.string().max(512).optional(), category: z.string().max(200).optional(), tag: z.string().max(200).optional(), updatedSince: z.iso.datetime({ offset: true, local: true }).or(z.iso.date()).optional(), limit: limit(1000, 100), cursor: z.string().max(600).optional() }).default({ limit: 100 });
const readInput = z.object({ revision, section: z.string().max(500).optional() }).default({});
const writeInput = z.object({ revision, message }).default({});
const putInput = z.object({ content: text, revision, message });
const editInput = z.union([
  z.object({ kind: z.literal('replace'), oldString: text, newString: text }),
  z.object({ kind: z.literal('section'), section: z.string().min(1), content: text, keepHeading: z.boolean().default(true) }),
  z.object({ kind: z.literal('append'), text, section: z.string().optional() }),
  z.object({ kind: z.literal('prepend'), text, section: z.string().optional() }),
]);
const searchInput = z.object({ limit: limit(100, 20), offset: z.number().int().min(0).max(10_000).default(0) }).default({ limit: 20, offset: 0 });
const semanticInput = z.object({ n: z.number().int().min(1).max(MAX_RESULTS).default(5), maxChunksPerPage: z.number().int().min(1).max(MAX_CHUNKS_PER_PAGE).default(2), minSimilarity: z.number().min(-1).max(1).optional() }).default({ n: 5, maxChunksPerPage: 2 });
const diffInput = z.object({ from: revision, to: revision }).default({});
const attachmentInput = z.object({
  filename: z.string().min(1).max(300),
  // Bytes cross JS-RPC as a Uint8Array (structured clone); the service refuses more than 10 MB (413).
  bytes: z.instanceof(Uint8Array, { error: 'bytes must be a Uint8Array' }),
  message,
});

const path = (p: unknown) => pageKeyOrThrow(parseOrThrow(z.string().max(1024), p, 'path'));

/** What the session's holder may do in the wiki. */
export interface SessionInfo {
  slug: string;
  title: string;
  role: string | null;
  scopes: string[];
  canWrite: boolean;
}

export class WikiSession extends RpcTarget {
  readonly #env: Env;
  readonly #request: WikiRequest;
  /** False once this session has written: the head it was opened at is then no longer the wiki's. */
  #atOpeningHead = true;

  constructor(env: Env, request: WikiRequest) {
    super();
    this.#env = env;
    this.#request = request;
  }

  get #repo() {
    return this.#request.repo;
  }

  /** The author of this session's writes, once write access is checked; the write is counted against the caller's limit meanwhile (commitWrite waits for the verdict). */
  async #writer() {
    requireAccess(this.#request.caller, this.#request.wiki, 'write');
    const author = authorOf(this.#request.caller, this.#env.APEX);
    admitWrite(this.#env, this.#repo, this.#request.caller);
    return author;
  }

  /** A write: answered like every call, then meaning-based search's queue is drained (after the answer). */
  #write<T>(fn: () => Promise<T>): Promise<RpcResult<T>> {
    this.#atOpeningHead = false;
    return rpcAnswer(async () => {
      const result = await fn();
      drainSoon(this.#env);
      return result;
    });
  }

  info(): Promise<RpcResult<SessionInfo>> {
    return rpcAnswer(async () => {
      const { wiki, caller } = this.#request;
      const member = caller.kind === 'member' ? caller : null;
      return { slug: wiki.slug, title: wiki.title, role: member?.role ?? null, scopes: member?.scopes ?? [], canWrite: !!member?.scopes.includes('write') };
    });
  }

  listPages(input?: z.input<typeof listInput>) {
    return rpcAnswer(async () => {
      const q = parseOrThrow(listInput, input, 'input');
      const { pages, next } = await listPages(this.#repo, {
        ...(q.prefix ? { prefix: pageKeyOrThrow(q.prefix) } : {}),
        ...(q.category ? { category: q.category } : {}),
        ...(q.tag ? { tag: q.tag } : {}),
        ...(q.updatedSince ? { updatedSince: Date.parse(q.updatedSince) } : {}),
        ...(q.cursor ? { after: q.cursor } : {}),
        limit: q.limit,
      });
      return { pages, nextCursor: next };
    });
  }

  readPage(pagePath: string, input?: z.input<typeof readInput>) {
    return rpcAnswer(async () => {
      const q = parseOrThrow(readInput, input, 'input');
      const key = path(pagePath);
      const revision = q.revision || undefined;
      const read = () => readPage(this.#repo, key, revision);
      // A page as of one head never changes: agents reread pages, and the REST API remembers its answers the same way.
      const page = this.#atOpeningHead
        ? await cachedForHead(`rpc:page:${this.#request.wiki.id}:${this.#request.head}:${key}:${revision ?? ''}`, read, (p) => 1024 + p.content.length * 2)
        : await read();
      return q.section ? { ...page, section: q.section, content: readSection(page.content, q.section) } : page;
    });
  }

  putPage(pagePath: string, input: z.input<typeof putInput>) {
    return this.#write(async () => {
      const q = parseOrThrow(putInput, input, 'input');
      return putPage(this.#repo, this.#env.APEX, path(pagePath), { content: q.content, author: (await this.#writer()), ...(q.revision ? { baseRevision: q.revision } : {}), ...(q.message ? { message: q.message } : {}) });
    });
  }

  editPage(pagePath: string, edit: z.input<typeof editInput>, input?: z.input<typeof writeInput>) {
    return this.#write(async () => {
      const e = parseOrThrow(editInput, edit, 'edit') as PageEdit;
      const q = parseOrThrow(writeInput, input, 'input');
      return editPage(this.#repo, this.#env.APEX, path(pagePath), e, { author: (await this.#writer()), ...(q.revision ? { baseRevision: q.revision } : {}), ...(q.message ? { message: q.message } : {}) });
    });
  }

  deletePage(pagePath: string, input?: z.input<typeof writeInput>) {
    return this.#write(async () => {
      const q = parseOrThrow(writeInput, input, 'input');
      return deletePage(this.#repo, this.#env.APEX, path(pagePath), { author: (await this.#writer()), ...(q.revision ? { baseRevision: q.revision } : {}), ...(q.message ? { message: q.message } : {}) });
    });
  }

  renamePage(pagePath: string, newPath: string, input?: z.input<typeof writeInput>) {
    return this.#write(async () => {
      const q = parseOrThrow(writeInput, input, 'input');
      return renamePage(this.#repo, this.#env.APEX, path(pagePath), path(newPath), { author: (await this.#writer()), ...(q.revision ? { baseRevision: q.revision } : {}), ...(q.message ? { message: q.message } : {}) });
    });
  }

  history(pagePath: string, input?: { limit?: number }) {
    return rpcAnswer(async () => {
      const q = parseOrThrow(z.object({ limit: limit(500, 50) }).default({ limit: 50 }), input, 'input');
      return pageHistory(this.#repo, path(pagePath), { limit: q.limit });
    });
  }

  diff(pagePath: string, input?: z.input<typeof diffInput>) {
    return rpcAnswer(async () => {
      const q = parseOrThrow(diffInput, input, 'input');
      const key = path(pagePath);
      const v = await pageVersions(this.#repo, key, { from: q.from, to: q.to });
      const diff = unifiedDiff(v.from.page?.content ?? '', v.to.page?.content ?? '', { oldLabel: `${key}@${v.from.revision?.slice(0, 7) ?? 'none'}`, newLabel: `${key}@${v.to.revision.slice(0, 7)}` });
      return { path: key, from: v.from.page?.revision ?? v.from.revision, to: v.to.page?.revision ?? v.to.revision, diff };
    });
  }

  revert(revisionToUndo: string, input?: { message?: string }) {
    return this.#write(async () => {
      const q = parseOrThrow(z.object({ message }).default({}), input, 'input');
      return revertCommit(this.#repo, this.#env.APEX, parseOrThrow(text.max(64), revisionToUndo, 'revision'), { author: (await this.#writer()), ...(q.message ? { message: q.message } : {}) });
    });
  }

  search(query: string, input?: z.input<typeof searchInput>) {
    return rpcAnswer(async () => {
      const q = parseOrThrow(searchInput, input, 'input');
      const found = await searchPages(this.#repo, this.#request.wiki.id, parseOrThrow(text.max(500), query, 'query'), { limit: q.limit, offset: q.offset, ...(this.#atOpeningHead ? { head: this.#request.head } : {}) });
      return { query, total: found.total, results: found.results.map((r) => ({ path: r.path, name: r.title, snippet: snippetToText(r.snippet), score: r.score })) };
    });
  }

  /**
   * Search by meaning: whole chunks (page, heading path, text, score,
   * revision) ranked by meaning and words, or, when meaning-based search is
   * off or not ready, keyword results with a notice saying so.
   */
  semanticSearch(query: string, input?: z.input<typeof semanticInput>) {
    return rpcAnswer(async () => {
      const q = parseOrThrow(semanticInput, input, 'input');
      const text = parseOrThrow(z.string().min(1).max(500), query, 'query');
      return searchByMeaning(this.#repo, providerFor(this.#env), this.#request.wiki.id, text, { n: q.n, maxChunksPerPage: q.maxChunksPerPage, ...(q.minSimilarity !== undefined ? { minSimilarity: q.minSimilarity } : {}) });
    });
  }

  links(pagePath: string) {
    return rpcAnswer(() => pageLinksOf(this.#repo, path(pagePath)));
  }

  orphans() {
    return rpcAnswer(() => orphanPages(this.#repo));
  }

  brokenLinks() {
    return rpcAnswer(() => brokenLinks(this.#repo));
  }

  recentChanges(input?: { limit?: number }) {
    return rpcAnswer(async () => recentChanges(this.#repo, parseOrThrow(z.object({ limit: limit(500, 50) }).default({ limit: 50 }), input, 'input').limit));
  }

  listAttachments(pagePath: string) {
    return rpcAnswer(() => listAttachments(this.#repo, path(pagePath)));
  }

  readAttachment(pagePath: string, name: string) {
    return rpcAnswer(() => readAttachment(this.#repo, path(pagePath), parseOrThrow(text.max(300), name, 'name')));
  }

  /** Adds (or replaces) an attachment of an existing page; the name is made safe as the REST API does. */
  putAttachment(pagePath: string, input: z.input<typeof attachmentInput>) {
    return rpcAnswer(async () => {
      const key = path(pagePath);
      const q = parseOrThrow(attachmentInput, input, 'input');
      return putAttachment(this.#repo, this.#env.APEX, key, { filename: q.filename, bytes: q.bytes, author: (await this.#writer()), ...(q.message ? { message: q.message } : {}) });
    });
  }

  deleteAttachment(pagePath: string, name: string, input?: z.input<typeof writeInput>) {
    return rpcAnswer(async () => {
      const key = path(pagePath);
      const filename = parseOrThrow(text.min(1).max(300), name, 'name');
      const q = parseOrThrow(writeInput, input, 'input');
      return deleteAttachment(this.#repo, this.#env.APEX, key, filename, { author: (await this.#writer()), ...(q.message ? { message: q.message } : {}) });
    });
  }
}

/** Opens a session on `slug` for the holder of `token`; refused like the REST API refuses (401, 403, 404). */
export function openWikiSession(env: Env, slug: string, token: string): Promise<RpcResult<WikiSession>> {
  return rpcAnswer(async () => {
    const s = parseOrThrow(z.string().min(1).max(63), slug, 'slug');
    const t = parseOrThrow(z.string().min(1).max(512), token, 'token');
    const request = await openWikiRequest(env, s, 'read', (wiki, verifiers) => tokenCaller(t, wiki, verifiers));
    return new WikiSession(env, request);
  });
}
