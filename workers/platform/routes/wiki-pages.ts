/** A wiki's connection page and its settings: details, handing it on, deleting it. */
import type { Visibility } from '../../../db/schema.ts';
import type { AppError } from '../../lib/errors.ts';
import { listMembers } from '../../lib/directory/members.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import { requireManager } from '../manage/policy.ts';
import { deleteWikiFor, getWikiFor, transferWikiFor, updateWikiFor, wikiPatchSchema } from '../manage/wikis.ts';
import type { PlatformContext, SessionUser } from '../session.ts';
import { connectPage } from '../views/connect.ts';
import { settingsPage, type SettingsView } from '../views/settings.ts';
import { formAction, htmlResponse, managerFor, noticeOf, pageApp, readForm, requireSignedIn, seeOther } from './page-kit.ts';

export const wikiPages = pageApp();

wikiPages.get('/app/wikis/:slug', async (c) => {
  const session = await requireSignedIn(c);
  const access = await getWikiFor(managerFor(c, session), c.req.param('slug'));
  return htmlResponse(connectPage(c.env.PUBLIC_ORIGIN, session, access, noticeOf(c)));
});

async function renderSettings(c: PlatformContext, session: SessionUser, error: SettingsView['error'], status = 200): Promise<Response> {
  const m = managerFor(c, session);
  const access = await getWikiFor(m, c.req.param('slug') ?? '');
  requireManager(access.role, access.wiki.slug);
  const admins = (await listMembers(m.db, access.wiki.id)).filter((x) => x.role === 'admin');
  return htmlResponse(settingsPage({ publicOrigin: c.env.PUBLIC_ORIGIN, session, access, admins, notice: error ? null : noticeOf(c), error }), status);
}

const again = (c: PlatformContext, session: SessionUser, form: 'settings' | 'transfer' | 'delete') => (err: AppError) =>
  renderSettings(c, session, { form, message: err.message }, err.status);

wikiPages.get('/app/wikis/:slug/settings', async (c) => renderSettings(c, await requireSignedIn(c), null));

wikiPages.post('/app/wikis/:slug/settings', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  const slug = c.req.param('slug');
  return formAction(async () => {
    const patch = parseOrThrow(
      wikiPatchSchema,
      {
        title: form.text('title'),
        description: form.text('description'),
        visibility: (form.text('visibility') || undefined) as Visibility | undefined,
        // The checkbox sends "on" beside the hidden "off" when ticked.
        git_access: form.all('git_access').includes('on'),
      },
      'settings',
    );
    await updateWikiFor(managerFor(c, session), slug, patch);
    return seeOther(`/app/wikis/${slug}/settings?done=saved`);
  }, again(c, session, 'settings'));
});

wikiPages.post('/app/wikis/:slug/transfer', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  const slug = c.req.param('slug');
  return formAction(async () => {
    await transferWikiFor(managerFor(c, session), slug, form.text('to'));
    return seeOther(`/app/wikis/${slug}/settings?done=transferred`);
  }, again(c, session, 'transfer'));
});

wikiPages.post('/app/wikis/:slug/delete', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  return formAction(async () => {
    await deleteWikiFor(managerFor(c, session), c.req.param('slug'), form.text('confirm'));
    return seeOther('/app?done=deleted');
  }, again(c, session, 'delete'));
});
