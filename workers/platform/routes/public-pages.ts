/** Pages anyone may see: the landing page, the sign-in page, and the stylesheet. */
import { currentSession } from '../session.ts';
import { safeReturnTo } from '../../lib/return-to.ts';
import { landingPage } from '../landing.ts';
import { signInPage } from '../views/sign-in.ts';
import { PLATFORM_CSS } from '../views/styles.ts';
import { htmlResponse, noticeOf, pageApp, SIGN_IN_CSP } from './page-kit.ts';

export const publicPages = pageApp();

publicPages.get('/', async (c) => htmlResponse(landingPage(c.env.PUBLIC_ORIGIN, await currentSession(c), noticeOf(c))));

publicPages.get('/sign-in', async (c) => {
  const form = {
    handle: (c.req.query('handle') ?? '').slice(0, 300),
    // A path here, or a page of one of this platform's wikis (e.g. an MCP client's consent page).
    returnTo: safeReturnTo(c.req.query('return_to'), c.env.PUBLIC_ORIGIN, c.env.APEX),
    // The auth worker sends people back here with what went wrong; shown as text, never as HTML.
    error: c.req.query('error')?.slice(0, 500) || null,
  };
  return htmlResponse(signInPage(form, await currentSession(c)), 200, { csp: SIGN_IN_CSP });
});

publicPages.get('/static/platform.css', () =>
  new Response(PLATFORM_CSS, {
    headers: {
      'content-type': 'text/css; charset=utf-8',
      // The page links it with a content hash (`?v=`), so it may be kept for long.
      'cache-control': 'public, max-age=31536000, immutable',
    },
  }),
);
