/** Your account: sessions (revoke one), and deleting the account. */
import type { AppError } from '../../lib/errors.ts';
import { SESSION_COOKIE } from '../../lib/directory/sessions.ts';
import { deleteAccountFor, listSessionsFor, ownedWikisFor, revokeSessionFor } from '../manage/account.ts';
import type { PlatformContext, SessionUser } from '../session.ts';
import { accountPage } from '../views/account.ts';
import { formAction, htmlResponse, managerFor, noticeOf, pageApp, readForm, requireSignedIn, seeOther } from './page-kit.ts';

export const accountPages = pageApp();

async function renderAccount(c: PlatformContext, session: SessionUser, error: AppError | null): Promise<Response> {
  const m = managerFor(c, session);
  const [{ sessions }, owned] = await Promise.all([listSessionsFor(m), ownedWikisFor(m)]);
  return htmlResponse(accountPage({ session, sessions, owned, notice: error ? null : noticeOf(c), error: error?.message ?? null }), error?.status ?? 200);
}

/** Expires the session cookie (the auth worker sets it for the apex and every wiki host). */
function clearSessionCookie(c: PlatformContext): string {
  const origin = new URL(c.env.PUBLIC_ORIGIN);
  return `${SESSION_COOKIE}=; Domain=${c.env.APEX}; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${origin.protocol === 'https:' ? '; Secure' : ''}`;
}

accountPages.get('/app/account', async (c) => renderAccount(c, await requireSignedIn(c), null));

accountPages.post('/app/account/sessions/revoke', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  return formAction(async () => {
    const id = form.text('session');
    await revokeSessionFor(managerFor(c, session), id);
    if (id !== session.sessionId) return seeOther('/app/account?done=session-revoked');
    const response = seeOther('/');
    response.headers.append('set-cookie', clearSessionCookie(c));
    return response;
  }, (err) => renderAccount(c, session, err));
});

accountPages.post('/app/account/delete', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  return formAction(async () => {
    const fates: Record<string, string> = {};
    for (const name of form.names()) if (name.startsWith('fate_')) fates[name.slice('fate_'.length)] = form.text(name);
    await deleteAccountFor(managerFor(c, session), form.text('confirm'), fates);
    const response = seeOther('/?done=account-deleted');
    response.headers.append('set-cookie', clearSessionCookie(c));
    return response;
  }, (err) => renderAccount(c, session, err));
});
