/** The platform admin page (users.is_platform_admin only). */
import { platformOverview, requirePlatformAdmin } from '../manage/admin-overview.ts';
import { adminPage } from '../views/admin.ts';
import { htmlResponse, managerFor, pageApp, requireSignedIn } from './page-kit.ts';

export const adminPages = pageApp();

adminPages.get('/app/admin', async (c) => {
  const session = await requireSignedIn(c);
  const m = managerFor(c, session);
  requirePlatformAdmin(m);
  return htmlResponse(adminPage(session, await platformOverview(m.db)));
});
