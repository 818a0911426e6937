/** A wiki's connected apps (OAuth grants): the list, revoking one. */
import type { AppError } from '../../lib/errors.ts';
import { listConnectionsFor, revokeConnectionFor } from '../manage/connections.ts';
import type { PlatformContext, SessionUser } from '../session.ts';
import { connectionsPage } from '../views/connections.ts';
import { formAction, htmlResponse, managerFor, noticeOf, pageApp, readForm, requireSignedIn, seeOther } from './page-kit.ts';

export const connectionPages = pageApp();

async function renderConnections(c: PlatformContext, session: SessionUser, error: AppError | null): Promise<Response> {
  const { access, connections, all } = await listConnectionsFor(managerFor(c, session), c.req.param('slug') ?? '');
  const view = { publicOrigin: c.env.PUBLIC_ORIGIN, session, access, connections, all, notice: error ? null : noticeOf(c), error: error?.message ?? null };
  return htmlResponse(connectionsPage(view), error?.status ?? 200);
}

connectionPages.get('/app/wikis/:slug/connections', async (c) => renderConnections(c, await requireSignedIn(c), null));

connectionPages.post('/app/wikis/:slug/connections/revoke', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  const slug = c.req.param('slug');
  return formAction(async () => {
    await revokeConnectionFor(managerFor(c, session), slug, form.text('connection'));
    return seeOther(`/app/wikis/${slug}/connections?done=disconnected`);
  }, (err) => renderConnections(c, session, err));
});
