/** Your account: who you are, your sessions, signing out everywhere, deleting the account. */
import type { SessionView } from '../../lib/directory/sessions.ts';
import { html, nothing, type Html } from '../../lib/html.ts';
import type { OwnedWiki } from '../manage/account.ts';
import type { SessionUser } from '../session.ts';
import { layout } from './layout.ts';
import { buttonForm, csrfField, errorBox, formatTime, noticeBox } from './parts.ts';
import { describeAgent } from './user-agent.ts';

export interface AccountView {
  session: SessionUser;
  sessions: SessionView[];
  owned: OwnedWiki[];
  notice: string | null;
  error: string | null;
}

function sessionRows(v: AccountView): Html[] {
  return v.sessions.map((s) => {
    const current = s.id === v.session.sessionId;
    return html`<tr>
  <td>${describeAgent(s.userAgent)}${current ? html` <span class="badge">this browser</span>` : nothing}</td>
  <td class="small">${formatTime(s.createdAt)}</td>
  <td class="small">${formatTime(s.lastSeenAt)}</td>
  <td class="small">${formatTime(s.expiresAt)}</td>
  <td>${buttonForm(v.session, '/app/account/sessions/revoke', current ? 'Sign out' : 'Revoke', { fields: { session: s.id } })}</td>
</tr>`;
  });
}

function fateChoice(session: SessionUser, o: OwnedWiki): Html {
  const name = `fate_${o.wiki.slug}`;
  return html`<div class="field"><label for="${name}">${o.wiki.title} <span class="muted">(${o.wiki.slug})</span></label>
  <select id="${name}" name="${name}">
    ${o.admins.map((a) => html`<option value="${a.did}">Hand it to ${a.handle}</option>`)}
    <option value="delete"${o.admins.length ? nothing : html` selected`}>Delete it with all its pages</option>
  </select>
  ${o.admins.length ? nothing : html`<span class="hint">It has no other admin to hand it to. To keep it, make someone an admin first.</span>`}
</div>`;
}

export function accountPage(v: AccountView): Html {
  const { session } = v;
  const body = html`${noticeBox(v.notice)}
<h1>Your account</h1>
<dl class="facts">
  <dt>Handle</dt><dd>${session.handle}</dd>
  ${session.displayName ? html`<dt>Name</dt><dd>${session.displayName}</dd>` : nothing}
  <dt>DID</dt><dd><code>${session.did}</code></dd>
</dl>

<h2>Where you are signed in</h2>
<div class="table-wrap"><table aria-label="Sessions">
  <thead><tr><th>Browser</th><th>Signed in</th><th>Last seen</th><th>Expires</th><th><span class="muted">Actions</span></th></tr></thead>
  <tbody>${sessionRows(v)}</tbody>
</table></div>
<form class="inline-form" method="post" action="/auth/logout-all">${csrfField(session)}<button type="submit">Sign out everywhere</button></form>

<section class="danger-zone" aria-labelledby="delete-account">
<h2 id="delete-account">Delete your account</h2>
${errorBox(v.error)}
<p>This removes you from every wiki, ends all your sessions and revokes all your tokens. A wiki you own is never left without an owner: choose for each one whether it is deleted or handed to one of its admins.</p>
<form class="stack" method="post" action="/app/account/delete">
  ${csrfField(session)}
  ${v.owned.length ? html`<fieldset><legend>Wikis you own</legend>${v.owned.map((o) => fateChoice(session, o))}</fieldset>` : html`<p class="muted">You own no wikis.</p>`}
  <div class="field"><label for="confirm-handle">Type your handle, <code>${session.handle}</code>, to confirm</label>
    <input id="confirm-handle" name="confirm" type="text" required autocomplete="off" autocapitalize="none" spellcheck="false"></div>
  <div class="actions"><button type="submit" class="danger">Delete my account</button></div>
</form>
</section>`;
  return layout({ title: 'Your account', session, body, section: 'account' });
}
