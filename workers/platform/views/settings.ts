/** A wiki's settings (owners and admins): details, visibility, git; handing it on and deleting it (owner). */
import { VISIBILITIES } from '../../../db/schema.ts';
import type { MemberView } from '../../lib/directory/members.ts';
import { DESCRIPTION_MAX, TITLE_MAX } from '../../lib/directory/wikis.ts';
import { html, nothing, type Html } from '../../lib/html.ts';
import type { WikiAccess } from '../manage/wiki-access.ts';
import type { SessionUser } from '../session.ts';
import { csrfField, errorBox } from './parts.ts';
import { wikiFrame } from './wiki-frame.ts';

export interface SettingsView {
  publicOrigin: string;
  session: SessionUser;
  access: WikiAccess;
  /** Admins the owner may hand the wiki to. */
  admins: MemberView[];
  notice: string | null;
  /** An error and which form it belongs to. */
  error: { form: 'settings' | 'transfer' | 'delete'; message: string } | null;
}

export function settingsPage(v: SettingsView): Html {
  const { wiki, role } = v.access;
  const errorFor = (form: 'settings' | 'transfer' | 'delete'): Html => errorBox(v.error?.form === form ? v.error.message : null);
  const base = `/app/wikis/${wiki.slug}`;
  const transfer =
    role === 'owner'
      ? html`<h2>Hand the wiki to someone else</h2>
${errorFor('transfer')}
${v.admins.length
    ? html`<p>The new owner must already be an admin. You stay on as an admin.</p>
<form class="stack" method="post" action="${base}/transfer">
  ${csrfField(v.session)}
  <div class="field"><label for="transfer-to">New owner</label>
    <select id="transfer-to" name="to">${v.admins.map((a) => html`<option value="${a.did}">${a.handle}${a.displayName ? ` (${a.displayName})` : ''}</option>`)}</select></div>
  <div class="actions"><button type="submit">Make them the owner</button></div>
</form>`
    : html`<p class="muted">Only an admin can become the owner. Make someone an admin on the <a href="${base}/members">Collaborators</a> page first.</p>`}`
      : nothing;
  const deletion =
    role === 'owner'
      ? html`<section class="danger-zone" aria-labelledby="delete-heading">
<h2 id="delete-heading">Delete this wiki</h2>
${errorFor('delete')}
<p>This deletes every page, its whole history, the git repository, its collaborators and their tokens. There is no undo.</p>
<form class="stack" method="post" action="${base}/delete">
  ${csrfField(v.session)}
  <div class="field"><label for="confirm-slug">Type the wiki's name, <code>${wiki.slug}</code>, to confirm</label>
    <input id="confirm-slug" name="confirm" type="text" required autocomplete="off" autocapitalize="none" spellcheck="false"></div>
  <div class="actions"><button type="submit" class="danger">Delete ${wiki.slug} forever</button></div>
</form>
</section>`
      : nothing;
  const body = html`<h2>Details</h2>
${errorFor('settings')}
<form class="stack" method="post" action="${base}/settings">
  ${csrfField(v.session)}
  <div class="field"><label for="title">Title</label>
    <input id="title" name="title" type="text" value="${wiki.title}" required maxlength="${TITLE_MAX}"></div>
  <div class="field"><label for="description">Description</label>
    <textarea id="description" name="description" rows="3" maxlength="${DESCRIPTION_MAX}">${wiki.description}</textarea></div>
  <fieldset>
    <legend>Who can read it</legend>
    ${VISIBILITIES.map(
      (vis) => html`<label class="choice"><input type="radio" name="visibility" value="${vis}"${wiki.visibility === vis ? html` checked` : nothing}> ${vis === 'private' ? 'Private: only collaborators' : 'Public: anyone can read; only collaborators edit'}</label>`,
    )}
  </fieldset>
  <fieldset>
    <legend>Git</legend>
    <input type="hidden" name="git_access" value="off">
    <label class="choice"><input type="checkbox" name="git_access" value="on"${wiki.gitAccess ? html` checked` : nothing}> Allow clone and push over HTTPS with a personal access token</label>
  </fieldset>
  <div class="actions"><button type="submit" class="primary">Save settings</button></div>
</form>
<p class="muted small">The name <code>${wiki.slug}</code> is the wiki's address and never changes.</p>
${transfer}
${deletion}`;
  return wikiFrame({ publicOrigin: v.publicOrigin, session: v.session, access: v.access, tab: 'settings', title: 'Settings', body, notice: v.notice });
}
