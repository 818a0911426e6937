/** Small pieces shared by the UI's pages: breadcrumbs, page tabs, notices, the CSRF field, times. */
import { CSRF_FIELD } from '../../csrf.ts';
import { displayTitle } from '../../pages/page-files.ts';
import { formatDate } from '../format.ts';
import { html, nothing, type Html } from '../template.ts';
import { pageUrl, type PageAction } from '../urls.ts';

/** The hidden field carrying the session's CSRF token in every state-changing form. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

/** `Home › Folder › Page`, each folder linking to its page (or its listing). */
export function breadcrumbs(key: string): Html {
  const segments = key.split('/');
  const crumbs = segments.map((_, i) => {
    const k = segments.slice(0, i + 1).join('/');
    return i === segments.length - 1
      ? html`<li aria-current="page">${displayTitle(k)}</li>`
      : html`<li><a href="${pageUrl(k)}">${displayTitle(k)}</a></li>`;
  });
  return html`<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol><li><a href="/">Home</a></li>${key === 'Home' ? nothing : crumbs}</ol></nav>`;
}

/** A tab of a page's action bar. */
type Tab = 'view' | PageAction;

/** The action bar of a page: view, edit, history, attachments, rename, delete (writers see the changing ones). */
export function pageTabs(key: string, active: Tab, canWrite: boolean, exists = true): Html {
  const tab = (name: Tab, label: string, href: string): Html =>
    html`<li><a href="${href}"${name === active ? html` aria-current="page" class="active"` : nothing}>${label}</a></li>`;
  const tabs: Html[] = [tab('view', 'View', pageUrl(key))];
  if (canWrite) tabs.push(tab('edit', exists ? 'Edit' : 'Create', pageUrl(key, 'edit')));
  tabs.push(tab('history', 'History', pageUrl(key, 'history')));
  if (exists) tabs.push(tab('attachments', 'Attachments', pageUrl(key, 'attachments')));
  if (canWrite && exists) {
    tabs.push(tab('rename', 'Rename', pageUrl(key, 'rename')));
    tabs.push(tab('delete', 'Delete', pageUrl(key, 'delete')));
  }
  return html`<nav class="page-tabs" aria-label="Page actions"><ul>${tabs}</ul></nav>`;
}

/** A message box: `error` for refusals and conflicts, `info` for everything else. */
export function notice(kind: 'error' | 'info' | 'success', body: Html | string): Html {
  return html`<div class="notice notice-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${body}</div>`;
}

/** A `<time>` element for an ISO date. */
export function time(iso: string): Html {
  return html`<time datetime="${iso}">${formatDate(iso)}</time>`;
}

/** Who made a change: its author, and for a pushed commit the member who pushed it (the author is whatever their git wrote). */
export function changeAuthor(e: { author: string; pushed_by: string | null }): Html {
  return e.pushed_by === null ? html`${e.author}` : html`${e.author} <span class="muted pushed-by">(pushed by ${e.pushed_by})</span>`;
}
