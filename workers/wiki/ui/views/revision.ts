/** A page as it was at a past revision, with the ways back to the present. */
import { displayTitle } from '../../pages/page-files.ts';
import type { RenderResult } from '../../render/index.ts';
import type { PageAtRevision } from '../../service/page-at.ts';
import type { Chrome } from '../chrome.ts';
import { html, nothing, type Html } from '../template.ts';
import { diffUrl, pageUrl, shortRevision } from '../urls.ts';
import { layout } from './layout.ts';
import { renderedBody, tableOfContents } from './page-view.ts';
import { breadcrumbs, csrfField, notice, pageTabs, time } from './parts.ts';

/** The revision view; `current` is the page's revision now (null when it no longer exists). */
export function revisionView(chrome: Chrome, key: string, at: PageAtRevision, rendered: RenderResult, current: string | null, csrf: string): Html {
  const isCurrent = current === at.revision;
  const writerActions = chrome.canWrite
    ? html`<div class="revision-actions">
        ${isCurrent ? nothing : html`<a class="button" href="${pageUrl(key, 'edit')}?revision=${at.revision}">Restore this version</a>`}
        <form method="post" action="${pageUrl(key, 'revert')}" class="inline-form">
          ${csrfField(csrf)}
          <input type="hidden" name="revision" value="${at.revision}">
          <button type="submit" class="danger" title="Make a new commit that undoes the change made in ${shortRevision(at.revision)}">Revert this change</button>
        </form>
      </div>`
    : nothing;
  const banner = notice(
    'info',
    html`<p>You are viewing revision <code>${shortRevision(at.revision)}</code> of ${time(at.date)} by ${at.author}: ${at.message}</p>
<p>${isCurrent ? html`This is the current version.` : html`<a href="${pageUrl(key)}">View the current version</a>${current ? html` · <a href="${diffUrl(key, current, at.revision)}">Compare with the current version</a>` : nothing}`}
 · <a href="${diffUrl(key, at.revision)}">Changes made in this revision</a> · <a href="${pageUrl(key, 'blame')}?revision=${at.revision}">Blame of this version</a></p>
${writerActions}`,
  );
  const body = html`${breadcrumbs(key)}
${pageTabs(key, 'history', chrome.canWrite, current !== null)}
${banner}
<div class="page-layout">
${tableOfContents(rendered)}
${renderedBody(key, rendered)}
</div>`;
  return layout({ title: `${displayTitle(key)} at ${shortRevision(at.revision)}`, chrome, body, scripts: rendered.needs.math || rendered.needs.mermaid ? ['extras.js'] : [] });
}
