/** A wiki's personal access tokens: the lists, making one (shown once), revoking. */
import type { AppError } from '../../lib/errors.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import { listTokensFor, mintTokenFor, newTokenSchema, revokeTokenFor } from '../manage/tokens.ts';
import type { PlatformContext, SessionUser } from '../session.ts';
import { tokenCreatedPage, tokensPage } from '../views/tokens.ts';
import { formAction, htmlResponse, managerFor, noticeOf, pageApp, readForm, requireSignedIn, seeOther } from './page-kit.ts';

export const tokenPages = pageApp();

async function renderTokens(c: PlatformContext, session: SessionUser, error: AppError | null): Promise<Response> {
  const { access, mine, others } = await listTokensFor(managerFor(c, session), c.req.param('slug') ?? '');
  const view = { publicOrigin: c.env.PUBLIC_ORIGIN, session, access, mine, others, notice: error ? null : noticeOf(c), error: error?.message ?? null };
  return htmlResponse(tokensPage(view), error?.status ?? 200);
}

tokenPages.get('/app/wikis/:slug/tokens', async (c) => renderTokens(c, await requireSignedIn(c), null));

tokenPages.post('/app/wikis/:slug/tokens', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  return formAction(async () => {
    const expires = form.text('expires');
    const input = parseOrThrow(
      newTokenSchema,
      { name: form.text('name'), scopes: form.all('scopes'), expires_in_days: expires === 'never' ? null : Number(expires) || 90 },
      'token',
    );
    const { access, token, view } = await mintTokenFor(managerFor(c, session), c.req.param('slug'), input);
    // Shown in this answer and never again: no redirect, nothing stored that could show it later.
    return htmlResponse(tokenCreatedPage(c.env.PUBLIC_ORIGIN, session, access, view, token));
  }, (err) => renderTokens(c, session, err));
});

tokenPages.post('/app/wikis/:slug/tokens/revoke', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  const slug = c.req.param('slug');
  return formAction(async () => {
    await revokeTokenFor(managerFor(c, session), slug, form.text('token'));
    return seeOther(`/app/wikis/${slug}/tokens?done=revoked`);
  }, (err) => renderTokens(c, session, err));
});
