/**
 * `/-/static/<file>`: the wiki's CSS, JS and vendored renderers, read from a
 * read-only disk service. Never user content; cached for an hour, revalidated.
 */
import { AppError } from '../lib/errors.ts';

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  woff: 'font/woff',
  ttf: 'font/ttf',
  json: 'application/json',
};

const SAFE_PATH = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export async function serveStatic(files: Fetcher, path: string, request: Request): Promise<Response> {
  const type = TYPES[path.slice(path.lastIndexOf('.') + 1)];
  if (!SAFE_PATH.test(path) || path.includes('..') || !type) throw new AppError('not_found', 'No such file.');
  const res = await files.fetch(`http://static/${path}`, { headers: request.headers.has('if-modified-since') ? { 'if-modified-since': request.headers.get('if-modified-since')! } : {} });
  if (res.status === 404 || (res.headers.get('content-type') ?? '').startsWith('application/json')) {
    await res.body?.cancel();
    throw new AppError('not_found', 'No such file.');
  }
  return new Response(res.body, {
    status: res.status,
    headers: {
      'content-type': type,
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
      ...(res.headers.get('last-modified') ? { 'last-modified': res.headers.get('last-modified')! } : {}),
    },
  });
}
