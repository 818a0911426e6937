/**
 * Git smart HTTP at `{slug}.APEX/.git`: `info/refs`, `git-upload-pack`
 * (clone, fetch, pull) and `git-receive-pack` (push), for the stock git CLI.
 *
 * Access: per-wiki opt-in (git access off: 404, no prompt, no credential
 * looked at); HTTP Basic with a personal access token as the password (the
 * user name is ignored), a bearer token, or the browser session; 401 with a
 * Basic challenge when a credential is needed and none (or a bad one) was
 * given; reading needs read, pushing needs write (an editor's token with the
 * write scope). Public wikis can be cloned anonymously. Errors are plain
 * text, which git shows to the user as `remote:` lines.
 */
import { Hono, type Context } from 'hono';
import { AppError } from '../../lib/errors.ts';
import { classifyHost } from '../../lib/hosts.ts';
import type { Wiki } from '../../lib/directory/wikis.ts';
import { identify, tokenCaller, type Caller, type Need, type Verifiers } from '../access.ts';
import { authorOf, openWikiRequest, type Env, type WikiRequest } from '../context.ts';
import { DEFAULT_MAX_BYTES } from '../index/guard.ts';
import { MAX_ATTACHMENT_BYTES } from '../service/attachments.ts';
import { MAX_PAGE_BYTES } from '../service/pages.ts';
import { countWrite } from '../write-limits.ts';
import { RepoObjects } from './object-store.ts';
import { OUTPUT_SLACK, ZERO_OID } from '../git/objects.ts';
import { gunzipSync } from 'node:zlib';
import { concat } from '../../lib/bytes.ts';
import { FLUSH, pkt, ProtocolError, sideband } from './pkt-line.ts';
import { advertisedHead, parseReceiveRequest, RECEIVE_PACK_CAPABILITIES, receivePack } from './receive-pack.ts';
import { parseUploadRequest, UPLOAD_PACK_CAPABILITIES, uploadPack, type Sink } from './upload-pack.ts';

type GitContext = Context<{ Bindings: Env }>;
type Service = 'git-upload-pack' | 'git-receive-pack';

const AGENT = 'agent=wikifarm/1';
/** Upload-pack requests are wants and haves: small. */
const MAX_UPLOAD_REQUEST = 8 * 1024 * 1024;

function text(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message.endsWith('\n') ? message : `${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache', ...headers } });
}

/** The token in an `Authorization: Basic` header: the password (or, with no password, the user name). */
function basicToken(request: Request): string | null | undefined {
  const header = request.headers.get('authorization');
  if (!header || !/^basic /i.test(header)) return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(header.slice(6).trim()), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  const password = colon === -1 ? '' : decoded.slice(colon + 1);
  return password || user || null;
}

async function gitCaller(request: Request, wiki: Wiki, verifiers: Verifiers): Promise<Caller> {
  const basic = basicToken(request);
  if (basic === null) throw new AppError('unauthorized', 'The Basic credentials could not be read.');
  if (basic !== undefined) return tokenCaller(basic, wiki, verifiers);
  return identify(request, wiki, verifiers);
}

/** The wiki and caller of a git request, or the error response git should see. */
async function gitRequest(c: GitContext, need: Need): Promise<WikiRequest | Response> {
  const target = classifyHost(c.req.header('host'), c.env.APEX);
  if (target.kind !== 'wiki') return text(404, 'Not a wiki host.');
  try {
    return await openWikiRequest(c.env, target.slug, need, (wiki, verifiers) => {
      // Off means not there: no prompt, and no credential is even looked at.
      if (!wiki.gitAccess) throw new AppError('not_found', `Git access is not enabled for the wiki "${wiki.slug}".`);
      return gitCaller(c.req.raw, wiki, verifiers);
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'unauthorized') {
      return text(401, `${err.message}\nUse a personal access token of this wiki as the password (any user name).`, { 'www-authenticate': `Basic realm="${target.slug}", charset="UTF-8"` });
    }
    if (err.code === 'rate_limited') return text(429, err.message, { 'retry-after': String(err.details?.retry_after ?? 60) });
    return text(err.status, err.message);
  }
}

async function requestBody(c: GitContext, limit: number): Promise<Uint8Array | Response> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > limit) return text(413, `The request is larger than this wiki accepts (${limit} bytes).`);
  let body = new Uint8Array(await c.req.arrayBuffer());
  if (body.byteLength > limit) return text(413, `The request is larger than this wiki accepts (${limit} bytes).`);
  const encoding = (c.req.header('content-encoding') ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      // Stopped just past the limit (with the slack workerd's zlib needs): a small body can inflate a thousandfold.
      body = new Uint8Array(gunzipSync(body, { maxOutputLength: limit + 1 + OUTPUT_SLACK }));
    } catch (err) {
      if (err instanceof RangeError) return text(413, `The request is larger than this wiki accepts (${limit} bytes).`);
      return text(400, 'The request body is not valid gzip.');
    }
    if (body.byteLength > limit) return text(413, `The request is larger than this wiki accepts (${limit} bytes).`);
  } else if (encoding && encoding !== 'identity') return text(415, `Unsupported Content-Encoding ${encoding}.`);
  return body;
}

/**
 * git always sends its request type. Requiring it also keeps browsers out: no
 * form can send this type, and a script on another origin (even a sibling
 * wiki, same-site for the session cookie) would need a CORS preflight this
 * server never grants, so a session cookie cannot be used to push by stealth.
 */
function wrongType(c: GitContext, service: Service): Response | null {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === `application/x-${service}-request` ? null : text(415, `Expected Content-Type: application/x-${service}-request.`);
}

function advertise(service: Service, head: string | null, capabilities: string[]): Uint8Array {
  const caps = [...capabilities, AGENT, 'object-format=sha1'];
  const lines = [pkt(`# service=${service}\n`), FLUSH];
  if (head === null) lines.push(pkt(`${ZERO_OID} capabilities^{}\0${caps.join(' ')}\n`));
  else if (service === 'git-upload-pack') {
    lines.push(pkt(`${head} HEAD\0${[...caps, 'symref=HEAD:refs/heads/main'].join(' ')}\n`), pkt(`${head} refs/heads/main\n`));
  } else lines.push(pkt(`${head} refs/heads/main\0${caps.join(' ')}\n`));
  lines.push(FLUSH);
  return concat(lines);
}

function gitResponse(service: Service, kind: 'advertisement' | 'result', body: BodyInit): Response {
  return new Response(body, {
    headers: { 'content-type': `application/x-${service}-${kind}`, 'cache-control': 'no-cache, max-age=0, must-revalidate', expires: 'Fri, 01 Jan 1980 00:00:00 GMT', pragma: 'no-cache' },
  });
}

export const gitHttp = new Hono<{ Bindings: Env }>();

gitHttp.get('/.git/info/refs', async (c) => {
  const service = c.req.query('service');
  if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
    return text(403, 'This server speaks only the smart HTTP protocol (git 1.6.6 or later).');
  }
  const wr = await gitRequest(c, service === 'git-receive-pack' ? 'write' : 'read');
  if (wr instanceof Response) return wr;
  const store = new RepoObjects(wr.repo.fs, wr.repo.gitdir, { looseFirst: true });
  if (service === 'git-upload-pack') return gitResponse(service, 'advertisement', advertise(service, wr.head, UPLOAD_PACK_CAPABILITIES));
  return gitResponse(service, 'advertisement', advertise(service, await advertisedHead(store, wr.head, c.env.APEX), RECEIVE_PACK_CAPABILITIES));
});

gitHttp.post('/.git/git-upload-pack', async (c) => {
  const refused = wrongType(c, 'git-upload-pack');
  if (refused) return refused;
  const wr = await gitRequest(c, 'read');
  if (wr instanceof Response) return wr;
  const body = await requestBody(c, MAX_UPLOAD_REQUEST);
  if (body instanceof Response) return body;
  let request;
  try {
    request = parseUploadRequest(body);
  } catch (err) {
    if (err instanceof ProtocolError) return gitResponse('git-upload-pack', 'result', pkt(`ERR ${err.message}\n`));
    throw err;
  }
  const store = new RepoObjects(wr.repo.fs, wr.repo.gitdir);
  const stream = new TransformStream<Uint8Array, Uint8Array>();
  const writer = stream.writable.getWriter();
  const sink: Sink = { write: (bytes) => writer.write(bytes) };
  const band = request.capabilities.has('side-band-64k') || request.capabilities.has('side-band');
  void uploadPack(store, wr.head, request, sink)
    .catch(async (err: unknown) => {
      console.error('[wiki] git-upload-pack failed', { wiki: wr.wiki.slug }, err);
      const message = `upload-pack failed: ${err instanceof AppError ? err.message : 'internal error'}\n`;
      try {
        if (band) for (const p of sideband(3, message)) await writer.write(p);
        else await writer.write(pkt(`ERR ${message}`));
      } catch {
        // the client has gone
      }
    })
    .finally(() => writer.close().catch(() => {}));
  return gitResponse('git-upload-pack', 'result', stream.readable);
});

gitHttp.post('/.git/git-receive-pack', async (c) => {
  const refused = wrongType(c, 'git-receive-pack');
  if (refused) return refused;
  const wr = await gitRequest(c, 'write');
  if (wr instanceof Response) return wr;
  const body = await requestBody(c, Math.max(wr.wiki.maxBytes ?? DEFAULT_MAX_BYTES, 1024 * 1024) + 1024 * 1024);
  if (body instanceof Response) return body;
  let request;
  try {
    request = parseReceiveRequest(body);
  } catch (err) {
    if (err instanceof ProtocolError) return gitResponse('git-receive-pack', 'result', pkt(`ERR ${err.message}\n`));
    throw err;
  }
  // git probes with an empty request before sending a large pack: nothing to do.
  if (request.commands.length === 0) return gitResponse('git-receive-pack', 'result', new Uint8Array(0));
  try {
    await countWrite(c.env, wr.repo.db, wr.caller, c.req.raw);
  } catch (err) {
    if (err instanceof AppError && err.code === 'rate_limited') return text(429, err.message, { 'retry-after': String(err.details?.retry_after ?? 60) });
    throw err;
  }
  const store = new RepoObjects(wr.repo.fs, wr.repo.gitdir, { looseFirst: true });
  const caller = wr.caller;
  if (caller.kind !== 'member') throw new AppError('forbidden', 'Only members push.'); // a write request's caller always is
  const identity = { apex: c.env.APEX, email: authorOf(caller, c.env.APEX).email, did: caller.did };
  const outcome = await receivePack({ repo: wr.repo, apex: c.env.APEX, store, limits: { maxFileBytes: MAX_ATTACHMENT_BYTES, maxPageBytes: MAX_PAGE_BYTES }, identity }, request);
  return gitResponse('git-receive-pack', 'result', outcome.body);
});

gitHttp.all('/.git', (c) => text(404, `Clone this wiki with: git clone ${new URL(c.req.url).origin}/.git`));
gitHttp.all('/.git/*', () => text(404, 'Not found. This server speaks only the smart HTTP protocol.'));
