/**
 * Errors of the web UI as HTML pages. Before the caller may read the wiki,
 * the page says nothing about it: anonymous visitors of a private wiki are
 * asked to sign in (401), signed-in non-members are refused (403). After,
 * errors show inside the wiki's frame with their status and message.
 */
import { isDbUnavailable } from '../../lib/db.ts';
import { AppError } from '../../lib/errors.ts';
import { errorResponse, requestIdOf } from '../../lib/worker/app.ts';
import { bareChrome, chromeFor, type Chrome } from './chrome.ts';
import { htmlPage } from './respond.ts';
import type { UiContext } from './ui-request.ts';
import { errorView, forbiddenView, signInView } from './views/error.ts';

function statusAndMessage(err: unknown, c: UiContext): { status: number; message: string } {
  if (err instanceof AppError) return { status: err.status, message: err.message };
  if (isDbUnavailable(err)) return { status: 503, message: 'The database is unavailable right now. Try again in a few seconds.' };
  console.error('[wiki] unhandled UI error', { requestId: requestIdOf(c.req.raw), url: c.req.url }, err);
  return { status: 500, message: 'Something went wrong on our side.' };
}

/** Browsers ask for HTML; scripts and programs (the live preview, curl, monitors) get the JSON errors every worker gives. */
function wantsHtml(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('text/html') && !accept.startsWith('application/json');
}

/** The UI's error page for `err`, or the JSON error for callers that do not ask for HTML. */
export async function uiErrorResponse(err: unknown, c: UiContext): Promise<Response> {
  if (!wantsHtml(c.req.raw)) return errorResponse(err, c.req.raw, 'wiki');
  const { status, message } = statusAndMessage(err, c);
  const granted = c.get('granted');
  let response: Response;
  if (!granted && status === 401) response = htmlPage(signInView(bareChrome(c, true)), 401);
  else if (!granted && status === 403) response = htmlPage(forbiddenView(bareChrome(c, false), message), 403);
  else {
    let chrome: Chrome = bareChrome(c, false);
    if (granted) {
      try {
        chrome = await chromeFor(c, granted);
      } catch {
        // the sidebar is optional on an error page
      }
    }
    const shown = status === 401 && granted ? 'Sign in to change this wiki.' : message;
    response = htmlPage(errorView(chrome, status, shown), status);
  }
  const retryAfter = err instanceof AppError ? err.details?.retry_after : undefined;
  if (status === 503 || status === 429) response.headers.set('retry-after', typeof retryAfter === 'number' ? String(retryAfter) : '5');
  response.headers.set('cache-control', 'no-store');
  return response;
}
