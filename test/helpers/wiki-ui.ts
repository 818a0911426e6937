/**
 * Driving the wiki's web UI over HTTP as a browser would: a session cookie
 * minted by the admin CLI, forms whose CSRF token and base revision are
 * scraped from the page, posts with this wiki's Origin.
 */
import assert from 'node:assert/strict';
import { FormData } from 'undici';
import { runScript } from './processes.ts';
import type { TestStack } from './stack.ts';

/** A session token (the `wf_session` cookie) for `user`, from `bin/admin.ts session create`. */
export async function sessionToken(t: TestStack, user: string): Promise<string> {
  const r = await runScript('bin/admin.ts', ['session', 'create', user], { DATA_DIR: t.dataDir });
  assert.equal(r.code, 0, r.output);
  const token = /^(ey[\w-]+\.[\w-]+\.[\w-]+)$/m.exec(r.output)?.[1];
  assert.ok(token, r.output);
  return token;
}

/** The value of the first `<input name="…" value="…">` in `html` (attribute values are HTML-escaped). */
export function inputValue(html: string, name: string): string | null {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html) ?? new RegExp(`<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html);
  return m ? decodeEntities(m[1]!) : null;
}

/** The text of the first `<textarea name="…">` (without the newline the parser drops). */
export function textareaValue(html: string, name: string): string | null {
  const m = new RegExp(`<textarea[^>]*name="${name}"[^>]*>\\n?([\\s\\S]*?)</textarea>`).exec(html);
  return m ? decodeEntities(m[1]!) : null;
}

/** Decodes the five entities hono's templates write. */
export function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
}

export interface UiResponse {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** Fields of a form post: strings, or files as `{ name, type, bytes }`. */
export type Fields = Record<string, string | { filename: string; type: string; bytes: Uint8Array }>;

/** A browser-like client of one wiki host. */
export class UiClient {
  readonly origin: string;
  readonly slug: string;
  readonly token: string | null;
  readonly #t: TestStack;

  constructor(t: TestStack, slug: string, token: string | null) {
    this.#t = t;
    this.slug = slug;
    this.token = token;
    this.origin = new URL(t.url('/', slug)).origin;
  }

  #headers(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: 'text/html,application/xhtml+xml', ...(this.token ? { cookie: `wf_session=${this.token}` } : {}), ...extra };
  }

  async #read(res: Awaited<ReturnType<TestStack['fetch']>>): Promise<UiResponse> {
    return { status: res.status, headers: res.headers as unknown as Headers, text: await res.text(), location: res.headers.get('location') };
  }

  /** GET `path` as a browser (HTML accepted). */
  async get(path: string, headers: Record<string, string> = {}): Promise<UiResponse> {
    return this.#read(await this.#t.fetch(this.#t.url(path, this.slug), { headers: this.#headers(headers) }));
  }

  /**
   * POSTs `fields` (URL-encoded, or multipart when a file is among them) with
   * this wiki's Origin unless `headers` say otherwise.
   */
  async post(path: string, fields: Fields, headers: Record<string, string> = {}): Promise<UiResponse> {
    const multipart = Object.values(fields).some((v) => typeof v !== 'string');
    let body: URLSearchParams | FormData;
    if (multipart) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) {
        if (typeof v === 'string') form.append(k, v);
        else form.append(k, new Blob([new Uint8Array(v.bytes)], { type: v.type }), v.filename);
      }
      body = form;
    } else {
      body = new URLSearchParams(fields as Record<string, string>);
    }
    const init = { method: 'POST', headers: this.#headers({ origin: this.origin, 'sec-fetch-site': 'same-origin', ...headers }), body };
    return this.#read(await this.#t.fetch(this.#t.url(path, this.slug), init));
  }

  /** Loads the form at `path` and returns its CSRF token and base revision. */
  async form(path: string): Promise<{ csrf: string; revision: string; html: string }> {
    const page = await this.get(path);
    assert.equal(page.status, 200, `GET ${path}: ${page.text.slice(0, 300)}`);
    const csrf = inputValue(page.text, '_csrf');
    assert.ok(csrf, `no CSRF field at ${path}`);
    return { csrf, revision: inputValue(page.text, 'revision') ?? '', html: page.text };
  }

  /** Creates or overwrites page `key` through the edit form; returns the redirect. */
  async savePage(key: string, content: string, message = ''): Promise<UiResponse> {
    const { csrf, revision } = await this.form(`/${key}/edit`);
    return this.post(`/${key}/edit`, { _csrf: csrf, revision, content, commit_message: message, action: 'save' });
  }
}
