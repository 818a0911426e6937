/** Pages anyone may see: the landing page, the sign-in page, and the stylesheet. */
import { currentSession } from '../session.ts';
import { localReturnPath } from '../urls.ts';
import { landingPage } from '../landing.ts';
import { signInPage } from '../views/sign-in.ts';
import { PLATFORM_CSS } from '../views/styles.ts';
import { htmlResponse, noticeOf, pageApp, SIGN_IN_CSP } from './page-kit.ts';

export const publicPages = pageApp();

publicPages.get('/', async (c) => htmlResponse(landingPage(c.env.PUBLIC_ORIGIN, await currentSession(c), noticeOf(c))));

publicPages.get('/sign-in', async (c) => {
  const form = {
    handle: (c.req.query('handle') ?? '').slice(0, 300),
    returnTo: localReturnPath(c.req.query('return_to')),
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
