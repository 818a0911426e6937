/** A wiki's personal access tokens: yours (and everyone's for owners and admins), making one, the one-time display. */
import type { TokenView } from '../../lib/directory/personal-access-tokens.ts';
import { TOKEN_NAME_MAX } from '../../lib/directory/personal-access-tokens.ts';
import { html, nothing, type Html } from '../../lib/html.ts';
import { scopesForRole } from '../../lib/roles.ts';
import type { WikiTokenView } from '../manage/tokens.ts';
import type { WikiAccess } from '../manage/wiki-access.ts';
import type { SessionUser } from '../session.ts';
import { claudeCodeCommand, gitCloneUrl } from '../urls.ts';
import { buttonForm, copyBlock, csrfField, errorBox, formatTime } from './parts.ts';
import { wikiFrame } from './wiki-frame.ts';

/** Expiry choices of the form, in days (`never`: no expiry). */
export const EXPIRY_CHOICES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const;

export interface TokensView {
  publicOrigin: string;
  session: SessionUser;
  access: WikiAccess;
  mine: TokenView[];
  others: WikiTokenView[] | null;
  notice: string | null;
  error: string | null;
}

function state(t: TokenView, now: number): Html {
  if (t.revokedAt !== null) return html`<span class="badge revoked">revoked</span>`;
  if (t.expiresAt !== null && t.expiresAt <= now) return html`<span class="badge expired">expired</span>`;
  return html`<span class="badge">active</span>`;
}

function tokenTable(v: TokensView, list: (TokenView & { handle?: string })[], label: string): Html {
  const now = Date.now();
  const base = `/app/wikis/${v.access.wiki.slug}`;
  const withHolder = list.some((t) => t.handle !== undefined);
  return html`<div class="table-wrap"><table aria-label="${label}">
  <thead><tr><th>Name</th>${withHolder ? html`<th>Holder</th>` : nothing}<th>Scopes</th><th>Created</th><th>Expires</th><th>Last used</th><th>State</th><th><span class="muted">Actions</span></th></tr></thead>
  <tbody>${list.map(
    (t) => html`<tr>
    <td>${t.name}</td>${withHolder ? html`<td>${t.handle}</td>` : nothing}
    <td>${t.scopes.join(', ')}</td>
    <td class="small">${formatTime(t.createdAt)}</td>
    <td class="small">${t.expiresAt === null ? 'never' : formatTime(t.expiresAt)}</td>
    <td class="small">${t.lastUsedAt === null ? 'never' : formatTime(t.lastUsedAt)}</td>
    <td>${state(t, now)}</td>
    <td>${t.revokedAt === null && (t.expiresAt === null || t.expiresAt > now) ? buttonForm(v.session, `${base}/tokens/revoke`, 'Revoke', { fields: { token: t.id }, title: `Revoke ${t.name}` }) : nothing}</td>
  </tr>`,
  )}</tbody>
</table></div>`;
}

export function tokensPage(v: TokensView): Html {
  const slug = v.access.wiki.slug;
  const canWrite = scopesForRole(v.access.role).includes('write');
  const body = html`<p>A personal access token lets a program (Claude Code, git, a script) use this wiki as you. It works only on <strong>${slug}</strong>, and never does more than your role allows.</p>
<h2>Your tokens</h2>
${v.mine.length ? tokenTable(v, v.mine, 'Your tokens') : html`<p class="muted">You have no tokens for this wiki.</p>`}

<h2>Make a token</h2>
${errorBox(v.error)}
<form class="stack" method="post" action="/app/wikis/${slug}/tokens">
  ${csrfField(v.session)}
  <div class="field"><label for="token-name">Name</label>
    <input id="token-name" name="name" type="text" required maxlength="${TOKEN_NAME_MAX}" placeholder="laptop Claude Code">
    <span class="hint">So you know which token is which later.</span></div>
  <fieldset>
    <legend>Scopes</legend>
    <label class="choice"><input type="checkbox" name="scopes" value="read" checked> read: pages, search, history, git clone</label>
    ${canWrite
      ? html`<label class="choice"><input type="checkbox" name="scopes" value="write" checked> write: edit, create, delete pages; git push</label>`
      : html`<p class="muted small">As a ${v.access.role}, you can only make read tokens.</p>`}
  </fieldset>
  <div class="field"><label for="token-expiry">Expires after</label>
    <select id="token-expiry" name="expires">${EXPIRY_CHOICES.map((c) => html`<option value="${c.value}"${c.value === '90' ? html` selected` : nothing}>${c.label}</option>`)}</select></div>
  <div class="actions"><button type="submit" class="primary">Make token</button></div>
</form>
${v.others === null ? nothing : html`<h2>Other collaborators' tokens</h2>
<p class="muted small">As ${v.access.role === 'owner' ? 'the owner' : 'an admin'}, you can revoke anyone's token for this wiki.</p>
${v.others.length ? tokenTable(v, v.others, "Other collaborators' tokens") : html`<p class="muted">None.</p>`}`}`;
  return wikiFrame({ publicOrigin: v.publicOrigin, session: v.session, access: v.access, tab: 'tokens', title: 'Tokens', body, notice: v.notice });
}

/** The only time a token's secret is shown. */
export function tokenCreatedPage(publicOrigin: string, session: SessionUser, access: WikiAccess, view: TokenView, token: string): Html {
  const slug = access.wiki.slug;
  const body = html`<div class="warning-box" role="alert"><strong>Copy this token now.</strong> It is shown only this once; it is stored only as a hash.</div>
<h2>Token “${view.name}”</h2>
<p>Scopes: ${view.scopes.join(', ')} · expires ${view.expiresAt === null ? 'never' : formatTime(view.expiresAt)}</p>
${copyBlock(token, 'The new token')}
<h3>Claude Code</h3>
${copyBlock(claudeCodeCommand(publicOrigin, slug, token), 'Claude Code command with this token')}
${access.wiki.gitAccess ? html`<h3>Git</h3>${copyBlock(`git clone ${gitCloneUrl(publicOrigin, slug, token)} ${slug}`, 'git clone command with this token')}` : nothing}
<p><a class="button" href="/app/wikis/${slug}/tokens">Done</a></p>`;
  return wikiFrame({ publicOrigin, session, access, tab: 'tokens', title: 'New token', body });
}
