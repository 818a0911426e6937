/** Small pieces the platform's pages share: CSRF fields, messages, dates, badges. */
import type { Role } from '../../../db/schema.ts';
import { CSRF_FIELD } from '../../lib/csrf.ts';
import { html, nothing, type Html } from '../../lib/html.ts';
import type { SessionUser } from '../session.ts';

/** The hidden field every state-changing form carries. */
export function csrfField(session: SessionUser): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrf}">`;
}

/** A POST form that is only a button (revoke, remove, sign out…), with the CSRF field. */
export function buttonForm(session: SessionUser, action: string, label: string, options: { fields?: Record<string, string>; className?: string; title?: string } = {}): Html {
  const hidden = Object.entries(options.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return html`<form class="inline-form" method="post" action="${action}">${csrfField(session)}${hidden}<button type="submit" class="${options.className ?? ''}"${options.title ? html` title="${options.title}"` : nothing}>${label}</button></form>`;
}

export function errorBox(message: string | null | undefined): Html {
  return message ? html`<div class="error-box" role="alert">${message}</div>` : nothing;
}

export function noticeBox(message: string | null | undefined): Html {
  return message ? html`<div class="notice" role="status">${message}</div>` : nothing;
}

/** Milliseconds since the epoch as `2026-01-31 14:05 UTC` (no script, so no local time zone). */
export function formatTime(ms: number | null): string {
  if (ms === null) return '—';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A byte count as `512 B`, `3.4 KB`, `1.2 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function roleBadge(role: Role): Html {
  return html`<span class="badge ${role}">${role}</span>`;
}

/** What each role may do, for forms that set one. */
export const ROLE_HINTS: Record<Role, string> = {
  owner: 'runs the wiki; only one',
  admin: 'manages settings, collaborators and tokens',
  editor: 'reads and writes pages',
  viewer: 'reads pages',
};

/** `<option>`s for the roles that can be given (never owner). */
export function roleOptions(selected: Role): Html[] {
  return (['admin', 'editor', 'viewer'] as const).map((r) => html`<option value="${r}"${r === selected ? html` selected` : nothing}>${r}</option>`);
}

/** A command or address to copy: one tap selects all of it. */
export function copyBlock(text: string, label: string): Html {
  return html`<pre class="copyable" aria-label="${label}"><code>${text}</code></pre>`;
}
