/** The frame of a wiki's management pages: its title, your role, and tabs. */
import { html, nothing, type Html } from '../../lib/html.ts';
import type { WikiAccess } from '../manage/wiki-access.ts';
import { canManage } from '../manage/policy.ts';
import type { SessionUser } from '../session.ts';
import { wikiOrigin } from '../urls.ts';
import { layout } from './layout.ts';
import { noticeBox, roleBadge } from './parts.ts';

export type WikiTab = 'connect' | 'members' | 'tokens' | 'connections' | 'settings';

const TABS: { tab: WikiTab; label: string; path: string; managersOnly?: true }[] = [
  { tab: 'connect', label: 'Connect', path: '' },
  { tab: 'members', label: 'Collaborators', path: '/members' },
  { tab: 'tokens', label: 'Tokens', path: '/tokens' },
  { tab: 'connections', label: 'Connected apps', path: '/connections' },
  { tab: 'settings', label: 'Settings', path: '/settings', managersOnly: true },
];

export interface WikiFrame {
  publicOrigin: string;
  session: SessionUser;
  access: WikiAccess;
  tab: WikiTab;
  title: string;
  body: Html;
  notice?: string | null;
}

export function wikiFrame(f: WikiFrame): Html {
  const { wiki, role } = f.access;
  const tabs = TABS.filter((t) => !t.managersOnly || canManage(role)).map(
    (t) => html`<li><a href="/app/wikis/${wiki.slug}${t.path}"${t.tab === f.tab ? html` aria-current="page"` : nothing}>${t.label}</a></li>`,
  );
  const body = html`<p><a href="/app">← Your wikis</a></p>
<h1>${wiki.title}</h1>
<p class="muted">${roleBadge(role)} <a href="${wikiOrigin(f.publicOrigin, wiki.slug)}/">${wikiOrigin(f.publicOrigin, wiki.slug).replace(/^https?:\/\//, '')}</a> · ${wiki.visibility === 'public' ? 'public' : 'private'}</p>
<nav aria-label="Wiki management"><ul class="tabs">${tabs}</ul></nav>
${noticeBox(f.notice)}
${f.body}`;
  return layout({ title: `${f.title} · ${wiki.slug}`, session: f.session, body, section: 'wikis' });
}
