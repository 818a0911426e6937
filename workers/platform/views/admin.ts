/** The platform admin page: counts, disk use per wiki, recent unexpected errors. */
import { html, type Html } from '../../lib/html.ts';
import type { PlatformOverview } from '../manage/admin-overview.ts';
import type { SessionUser } from '../session.ts';
import { layout } from './layout.ts';
import { formatBytes, formatTime } from './parts.ts';

export function adminPage(session: SessionUser, o: PlatformOverview): Html {
  const body = html`<h1>Platform</h1>
<ul class="stats" aria-label="Counts">
  <li><strong>${o.counts.users}</strong> users</li>
  <li><strong>${o.counts.wikis}</strong> wikis</li>
  <li><strong>${o.counts.pages}</strong> pages</li>
</ul>
<h2>Disk use per wiki</h2>
<p class="muted small">Pages and attachments at each wiki's head, from the index (git history takes more).</p>
<div class="table-wrap"><table aria-label="Disk use per wiki">
  <thead><tr><th>Wiki</th><th>Owner</th><th>Pages</th><th>Size</th></tr></thead>
  <tbody>${o.disk.map((d) => html`<tr><td>${d.slug}</td><td>${d.ownerHandle}</td><td>${d.pages}</td><td>${formatBytes(d.bytes)}</td></tr>`)}</tbody>
</table></div>
<h2>Recent errors</h2>
${o.errors.length
    ? html`<div class="table-wrap"><table aria-label="Recent errors">
  <thead><tr><th>When</th><th>Worker</th><th>Request</th><th>Error</th></tr></thead>
  <tbody>${o.errors.map(
    (e) => html`<tr><td class="small">${formatTime(e.at)}</td><td>${e.worker}</td><td class="small">${e.method ?? ''} ${e.url ?? ''}<br><span class="muted">${e.requestId ?? ''}</span></td><td><pre>${e.message}</pre></td></tr>`,
  )}</tbody>
</table></div>`
    : html`<p class="muted">No unexpected errors recorded.</p>`}`;
  return layout({ title: 'Platform admin', session, body, section: 'admin' });
}
