/** A wiki's collaborators: the list, adding by handle, changing roles, removing, leaving. */
import type { Role } from '../../../db/schema.ts';
import type { AppError } from '../../lib/errors.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import { addMemberFor, changeRoleFor, leaveWikiFor, listMembersFor, removeMemberFor, roleSchema } from '../manage/members.ts';
import type { PlatformContext, SessionUser } from '../session.ts';
import { membersPage, type MembersView } from '../views/members.ts';
import { formAction, htmlResponse, managerFor, noticeOf, pageApp, readForm, requireSignedIn, seeOther } from './page-kit.ts';

export const memberPages = pageApp();

async function renderMembers(c: PlatformContext, session: SessionUser, error: AppError | null, adding: MembersView['adding'] = { who: '', role: 'editor' }): Promise<Response> {
  const { access, members } = await listMembersFor(managerFor(c, session), c.req.param('slug') ?? '');
  const view = { publicOrigin: c.env.PUBLIC_ORIGIN, session, access, members, notice: error ? null : noticeOf(c), error: error?.message ?? null, adding };
  return htmlResponse(membersPage(view), error?.status ?? 200);
}

memberPages.get('/app/wikis/:slug/members', async (c) => renderMembers(c, await requireSignedIn(c), null));

function role(text: string): Role {
  return parseOrThrow(roleSchema, text, 'role');
}

memberPages.post('/app/wikis/:slug/members', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  const slug = c.req.param('slug');
  const typed = { who: form.text('who').slice(0, 300), role: (['admin', 'editor', 'viewer'].includes(form.text('role')) ? form.text('role') : 'editor') as Role };
  return formAction(async () => {
    await addMemberFor(managerFor(c, session), slug, form.text('who'), role(form.text('role')));
    return seeOther(`/app/wikis/${slug}/members?done=added`);
  }, (err) => renderMembers(c, session, err, typed));
});

memberPages.post('/app/wikis/:slug/members/role', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  const slug = c.req.param('slug');
  return formAction(async () => {
    await changeRoleFor(managerFor(c, session), slug, form.text('member'), role(form.text('role')));
    return seeOther(`/app/wikis/${slug}/members?done=role`);
  }, (err) => renderMembers(c, session, err));
});

memberPages.post('/app/wikis/:slug/members/remove', async (c) => {
  const session = await requireSignedIn(c);
  const form = await readForm(c, session);
  const slug = c.req.param('slug');
  return formAction(async () => {
    const m = managerFor(c, session);
    if (form.text('member') === session.did) {
      await leaveWikiFor(m, slug);
      return seeOther('/app?done=left');
    }
    await removeMemberFor(m, slug, form.text('member'));
    return seeOther(`/app/wikis/${slug}/members?done=removed`);
  }, (err) => renderMembers(c, session, err));
});

memberPages.post('/app/wikis/:slug/leave', async (c) => {
  const session = await requireSignedIn(c);
  await readForm(c, session);
  const slug = c.req.param('slug');
  return formAction(async () => {
    await leaveWikiFor(managerFor(c, session), slug);
    return seeOther('/app?done=left');
  }, (err) => renderMembers(c, session, err));
});
