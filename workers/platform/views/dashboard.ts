/** The dashboard: your wikis, the ones shared with you, and making a new one (the first one on first run). */
import { VISIBILITIES, type Visibility } from '../../../db/schema.ts';
import type { MemberWiki } from '../../lib/directory/wikis.ts';
import { DESCRIPTION_MAX, TITLE_MAX } from '../../lib/directory/wikis.ts';
import { html, nothing, type Html } from '../../lib/html.ts';
import { SLUG_MAX, SLUG_MIN } from '../../lib/slugs.ts';
import { nameOf, type SessionUser } from '../session.ts';
import { wikiOrigin } from '../urls.ts';
import { layout } from './layout.ts';
import { csrfField, errorBox, noticeBox, roleBadge } from './parts.ts';

export interface NewWikiForm {
  slug: string;
  title: string;
  description: string;
  visibility: Visibility;
  error: string | null;
}

const VISIBILITY_LABEL: Record<Visibility, string> = {
  private: 'Private: only collaborators can see it',
  public: 'Public: anyone can read it; only collaborators can edit',
};

export function newWikiFields(publicOrigin: string, form: NewWikiForm): Html {
  const apexHost = new URL(publicOrigin).host;
  return html`<div class="field">
    <label for="slug">Name (its address)</label>
    <span class="slug-input"><input id="slug" name="slug" type="text" value="${form.slug}" required minlength="${SLUG_MIN}" maxlength="${SLUG_MAX}"
      pattern="[a-z0-9](?:[a-z0-9\\-]*[a-z0-9])?" autocapitalize="none" autocorrect="off" spellcheck="false"><span class="muted">.${apexHost}</span></span>
    <span class="hint">${SLUG_MIN}–${SLUG_MAX} lowercase letters, digits and hyphens. It never changes.</span>
  </div>
  <div class="field">
    <label for="title">Title</label>
    <input id="title" name="title" type="text" value="${form.title}" maxlength="${TITLE_MAX}" placeholder="Defaults to the name">
  </div>
  <div class="field">
    <label for="description">Description <span class="hint">(optional)</span></label>
    <textarea id="description" name="description" maxlength="${DESCRIPTION_MAX}" rows="3">${form.description}</textarea>
  </div>
  <fieldset>
    <legend>Who can read it</legend>
    ${VISIBILITIES.map((v) => html`<label class="choice"><input type="radio" name="visibility" value="${v}"${form.visibility === v ? html` checked` : nothing}> ${VISIBILITY_LABEL[v]}</label>`)}
  </fieldset>`;
}

function newWikiForm(publicOrigin: string, session: SessionUser, form: NewWikiForm, submit: string): Html {
  return html`<form class="stack" method="post" action="/app/new">
  ${csrfField(session)}
  ${errorBox(form.error)}
  ${newWikiFields(publicOrigin, form)}
  <div class="actions"><button type="submit" class="primary">${submit}</button></div>
</form>`;
}

function wikiCard(publicOrigin: string, w: MemberWiki): Html {
  return html`<li class="card">
  <h3><a href="/app/wikis/${w.wiki.slug}">${w.wiki.title}</a></h3>
  <p class="muted small">${w.wiki.slug} · ${w.wiki.visibility} · ${w.memberCount} ${w.memberCount === 1 ? 'member' : 'members'}</p>
  ${w.wiki.description ? html`<p>${w.wiki.description}</p>` : nothing}
  <p>${roleBadge(w.role)}${w.role !== 'owner' ? html` <span class="muted small">owned by ${w.ownerHandle}</span>` : nothing}</p>
  <p class="small"><a href="${wikiOrigin(publicOrigin, w.wiki.slug)}/">Open the wiki</a> · <a href="/app/wikis/${w.wiki.slug}">Connect</a></p>
</li>`;
}

/** The first-run page: a signed-in person with no wikis picks a name, prefilled from their handle. */
export function firstRunPage(publicOrigin: string, session: SessionUser, form: NewWikiForm): Html {
  const body = html`<h1>Welcome, ${nameOf(session)}</h1>
<p>You have no wikis yet. Pick a name for your first one. It becomes the wiki's address, and it never changes.</p>
${newWikiForm(publicOrigin, session, form, 'Create my wiki')}
<p class="muted small">Someone else can also share a wiki with you. It will show up here.</p>`;
  return layout({ title: 'Your first wiki', session, body, section: 'wikis' });
}

export function dashboardPage(publicOrigin: string, session: SessionUser, wikis: MemberWiki[], notice: string | null): Html {
  const owned = wikis.filter((w) => w.role === 'owner');
  const shared = wikis.filter((w) => w.role !== 'owner');
  const body = html`${noticeBox(notice)}
<div class="actions"><h1>Your wikis</h1></div>
<p><a class="button primary" href="/app/new">New wiki</a></p>
${owned.length ? html`<ul class="cards" aria-label="Wikis you own">${owned.map((w) => wikiCard(publicOrigin, w))}</ul>` : html`<p class="muted">You own no wikis.</p>`}
<h2>Shared with you</h2>
${shared.length ? html`<ul class="cards" aria-label="Wikis shared with you">${shared.map((w) => wikiCard(publicOrigin, w))}</ul>` : html`<p class="muted">Nobody has shared a wiki with you yet.</p>`}`;
  return layout({ title: 'Your wikis', session, body, section: 'wikis' });
}

export function newWikiPage(publicOrigin: string, session: SessionUser, form: NewWikiForm): Html {
  const body = html`<p><a href="/app">← Your wikis</a></p>
<h1>New wiki</h1>
${newWikiForm(publicOrigin, session, form, 'Create wiki')}`;
  return layout({ title: 'New wiki', session, body, section: 'wikis' });
}
