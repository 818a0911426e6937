/** A wiki's connected apps: the MCP clients members authorised with OAuth, and disconnecting them. */
import type { ConnectionView } from '../../lib/directory/oauth-grants.ts';
import { html, nothing, type Html } from '../../lib/html.ts';
import type { WikiAccess } from '../manage/wiki-access.ts';
import type { SessionUser } from '../session.ts';
import { buttonForm, errorBox, formatTime } from './parts.ts';
import { wikiFrame } from './wiki-frame.ts';

export interface ConnectionsView {
  publicOrigin: string;
  session: SessionUser;
  access: WikiAccess;
  connections: ConnectionView[];
  /** True when the list holds everyone's connections (owners and admins). */
  all: boolean;
  notice: string | null;
  error: string | null;
}

function connectionTable(v: ConnectionsView): Html {
  const action = `/app/wikis/${v.access.wiki.slug}/connections/revoke`;
  return html`<div class="table-wrap"><table aria-label="Connected apps">
  <thead><tr><th>App</th><th>Redirects to</th>${v.all ? html`<th>Authorised by</th>` : nothing}<th>Scopes</th><th>Connected</th><th>Last used</th><th><span class="muted">Actions</span></th></tr></thead>
  <tbody>${v.connections.map(
    (c) => html`<tr>
    <td><strong>${c.clientName}</strong><span class="muted small detail">${c.clientId}</span></td>
    <td>${c.redirectHost}</td>${v.all
      ? html`<td>${c.userDid === v.session.did ? 'you' : html`${c.displayName || c.handle}<br><span class="muted small">${c.handle}</span>`}</td>`
      : nothing}
    <td>${c.scopes.join(', ')}</td>
    <td class="small">${formatTime(c.createdAt)}</td>
    <td class="small">${c.lastUsedAt === null ? 'never' : formatTime(c.lastUsedAt)}</td>
    <td>${buttonForm(v.session, action, 'Revoke', { fields: { connection: c.id }, title: `Disconnect ${c.clientName}` })}</td>
  </tr>`,
  )}</tbody>
</table></div>`;
}

export function connectionsPage(v: ConnectionsView): Html {
  const slug = v.access.wiki.slug;
  const body = html`<p>Apps such as Claude that were given access to <strong>${slug}</strong> through its sign-in and approval page. Each acts as the person who approved it, never beyond their role. Revoking one stops it at once; it can connect again only if someone approves it again.</p>
${errorBox(v.error)}
${v.all ? html`<p class="muted small">As ${v.access.role === 'owner' ? 'the owner' : 'an admin'}, you see and can revoke every collaborator's connected apps.</p>` : nothing}
${v.connections.length
    ? connectionTable(v)
    : html`<p class="muted">${v.all ? 'No apps are connected to this wiki.' : 'You have not connected any apps to this wiki.'} <a href="/app/wikis/${slug}">How to connect Claude</a></p>`}`;
  return wikiFrame({ publicOrigin: v.publicOrigin, session: v.session, access: v.access, tab: 'connections', title: 'Connected apps', body, notice: v.notice });
}
