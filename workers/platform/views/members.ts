/** A wiki's collaborators: the list with roles, and (for owners and admins) adding, changing, removing. Leaving. */
import type { Role } from '../../../db/schema.ts';
import type { MemberView } from '../../lib/directory/members.ts';
import { html, nothing, type Html } from '../../lib/html.ts';
import { canManage } from '../manage/policy.ts';
import type { WikiAccess } from '../manage/wiki-access.ts';
import type { SessionUser } from '../session.ts';
import { buttonForm, csrfField, errorBox, formatTime, ROLE_HINTS, roleBadge, roleOptions } from './parts.ts';
import { wikiFrame } from './wiki-frame.ts';

export interface MembersView {
  publicOrigin: string;
  session: SessionUser;
  access: WikiAccess;
  members: MemberView[];
  notice: string | null;
  error: string | null;
  /** What was typed in the add form (kept after an error). */
  adding: { who: string; role: Role };
}

function memberRow(v: MembersView, m: MemberView): Html {
  const base = `/app/wikis/${v.access.wiki.slug}`;
  const self = m.did === v.session.did;
  const manage = canManage(v.access.role) && m.role !== 'owner';
  const roleCell = manage
    ? html`<form class="row-form" method="post" action="${base}/members/role">
        ${csrfField(v.session)}<input type="hidden" name="member" value="${m.did}">
        <select name="role" aria-label="Role of ${m.handle}">${roleOptions(m.role)}</select>
        <button type="submit">Change</button>
      </form>`
    : roleBadge(m.role);
  const action = self
    ? m.role === 'owner'
      ? html`<span class="muted small">you</span>`
      : buttonForm(v.session, `${base}/leave`, 'Leave')
    : manage
      ? buttonForm(v.session, `${base}/members/remove`, 'Remove', { fields: { member: m.did }, title: `Remove ${m.handle}` })
      : nothing;
  return html`<tr>
  <td><strong>${m.displayName || m.handle}</strong><br><span class="muted small">${m.handle}</span></td>
  <td>${roleCell}</td>
  <td class="small">${formatTime(m.addedAt)}</td>
  <td>${action}</td>
</tr>`;
}

export function membersPage(v: MembersView): Html {
  const slug = v.access.wiki.slug;
  const add = canManage(v.access.role)
    ? html`<h2>Add a collaborator</h2>
${errorBox(v.error)}
<form class="stack" method="post" action="/app/wikis/${slug}/members">
  ${csrfField(v.session)}
  <div class="field"><label for="who">Their handle</label>
    <input id="who" name="who" type="text" value="${v.adding.who}" required maxlength="300" placeholder="bob.bsky.social" autocapitalize="none" autocorrect="off" spellcheck="false">
    <span class="hint">A Bluesky handle or a DID. They don't need to have signed in here before.</span></div>
  <div class="field"><label for="role">Role</label>
    <select id="role" name="role">${roleOptions(v.adding.role)}</select>
    <span class="hint">${(['admin', 'editor', 'viewer'] as const).map((r) => `${r}: ${ROLE_HINTS[r]}`).join(' · ')}</span></div>
  <div class="actions"><button type="submit" class="primary">Add</button></div>
</form>`
    : errorBox(v.error);
  const body = html`<h2>Collaborators</h2>
<div class="table-wrap"><table>
  <thead><tr><th>Person</th><th>Role</th><th>Added</th><th><span class="muted">Actions</span></th></tr></thead>
  <tbody>${v.members.map((m) => memberRow(v, m))}</tbody>
</table></div>
${v.access.role === 'owner' ? html`<p class="muted small">To stop being the owner, hand the wiki to an admin in <a href="/app/wikis/${slug}/settings">Settings</a>.</p>` : nothing}
${add}`;
  return wikiFrame({ publicOrigin: v.publicOrigin, session: v.session, access: v.access, tab: 'members', title: 'Collaborators', body, notice: v.notice });
}
