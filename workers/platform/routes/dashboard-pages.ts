/** The dashboard (your wikis; the first-wiki form on first run) and making a new wiki. */
import type { Visibility } from '../../../db/schema.ts';
import type { AppError } from '../../lib/errors.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import { createWikiFor, firstWikiSlug, listMyWikis, newWikiSchema } from '../manage/wikis.ts';
import type { PlatformContext, SessionUser } from '../session.ts';
import { dashboardPage, firstRunPage, newWikiPage, type NewWikiForm } from '../views/dashboard.ts';
import { formAction, htmlResponse, managerFor, noticeOf, pageApp, readForm, requireSignedIn, seeOther, type FormFields } from './page-kit.ts';

export const dashboardPages = pageApp();

const blankForm = (slug = ''): NewWikiForm => ({ slug, title: '', description: '', visibility: 'private', error: null });

dashboardPages.get('/app', async (c) => {
  const session = await requireSignedIn(c);
  const m = managerFor(c, session);
  const wikis = await listMyWikis(m);
  if (wikis.length === 0) return htmlResponse(firstRunPage(c.env.PUBLIC_ORIGIN, session, blankForm(await firstWikiSlug(m))));
  return htmlResponse(dashboardPage(c.env.PUBLIC_ORIGIN, session, wikis, noticeOf(c)));
});

dashboardPages.get('/app/new', async (c) => {
  const session = await requireSignedIn(c);
  return htmlResponse(newWikiPage(c.env.PUBLIC_ORIGIN, session, blankForm()));
});

/** The form again, as it was typed, with what went wrong. First-run people keep their first-run page. */
async function newWikiAgain(c: PlatformContext, session: SessionUser, form: FormFields, error: AppError): Promise<Response> {
  const typed: NewWikiForm = {
    slug: form.text('slug').slice(0, 100),
    title: form.text('title').slice(0, 300),
    description: form.text('description').slice(0, 2000),
    visibility: form.text('visibility') === 'public' ? 'public' : 'private',
    error: error.message,
  };
  const firstRun = (await listMyWikis(managerFor(c, session))).length === 0;
  const page = firstRun ? firstRunPage(c.env.PUBLIC_ORIGIN, session, typed) : newWikiPage(c.env.PUBLIC_ORIGIN, session, typed);
  return htmlResponse(page, error.status);
}

dashboardPages.post('/app/new', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  return formAction(
    async () => {
      const input = parseOrThrow(
        newWikiSchema,
        { slug: form.text('slug'), title: form.text('title'), description: form.text('description'), visibility: (form.text('visibility') || 'private') as Visibility },
        'wiki',
      );
      const wiki = await createWikiFor(managerFor(c, session), input);
      return seeOther(`/app/wikis/${wiki.slug}?done=created`);
    },
    (err) => newWikiAgain(c, session, form, err),
  );
});
