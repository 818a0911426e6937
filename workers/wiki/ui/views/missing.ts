/** The answer for a page that does not exist: an offer to create it, its subpages, its past. */
import { displayTitle } from '../../pages/page-files.ts';
import type { Chrome } from '../chrome.ts';
import { html, nothing, type Html } from '../template.ts';
import { pageUrl } from '../urls.ts';
import { layout } from './layout.ts';
import { breadcrumbs, pageTabs } from './parts.ts';
import { indexTree, type IndexedPage } from './tree.ts';

/** What is known about a missing page. */
export interface MissingPage {
  key: string;
  /** Pages below it (`key/…`), when it is a folder. */
  subpages: IndexedPage[];
  /** The page existed once (it has history). */
  deleted: boolean;
  /** The caller is anonymous (could sign in to create it). */
  anonymous: boolean;
  /** Why no page of this name can be created (see `newPageNameProblem`), if so. */
  cannotCreate?: string;
}

/** The 404 page of a missing page. */
export function missingPageView(chrome: Chrome, m: MissingPage): Html {
  const create = m.cannotCreate
    ? html`<p class="muted">${m.cannotCreate}</p>`
    : chrome.canWrite
    ? html`<p><a class="button primary" href="${pageUrl(m.key, 'edit')}">Create this page</a></p>`
    : m.anonymous
      ? html`<p><a href="${chrome.signInHref}">Sign in</a> to create it.</p>`
      : nothing;
  const past = m.deleted ? html`<p>This page was deleted. Its <a href="${pageUrl(m.key, 'history')}">history</a> keeps every version.</p>` : nothing;
  const folder = m.subpages.length
    ? html`<section class="folder-listing"><h2>Pages in ${displayTitle(m.key)}/</h2>${indexTree(m.subpages)}</section>`
    : nothing;
  const body = html`${breadcrumbs(m.key)}
${m.deleted ? pageTabs(m.key, 'view', chrome.canWrite, false) : nothing}
<h1>${displayTitle(m.key)}</h1>
<div class="notice notice-info" role="status"><p>There is no page <strong>${m.key}</strong> yet.</p></div>
${create}
${past}
${folder}`;
  return layout({ title: displayTitle(m.key), chrome, body });
}
