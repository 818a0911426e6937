/**
 * The authorization server's pages on the wiki host: consent (who asks, where
 * the browser goes afterwards, which wiki, what access, who is signed in) and
 * the errors that must not go to an unvalidated redirect. Styled by the
 * wiki's own stylesheet on the same origin; no script.
 */
import type { TokenScope } from '../../db/schema.ts';
import { html, nothing, type Html } from '../lib/html.ts';
import { isLoopbackRedirect } from './redirect-uri.ts';

function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/-/static/wiki.css">
</head>
<body>
<main class="content">
${body}
</main>
</body>
</html>`.toString();
}

const SCOPE_TEXT: Record<TokenScope, string> = { read: 'Read every page, its history and attachments', write: 'Create, edit, rename and delete pages and attachments' };

export interface ConsentModel {
  clientName: string;
  clientId: string;
  redirectUri: string;
  wikiHost: string;
  wikiTitle: string;
  handle: string;
  scopes: TokenScope[];
  /** True when the client asked for write but the person's role allows only reading. */
  narrowed: boolean;
  /** The request's parameters, sent back with the decision. */
  fields: Record<string, string>;
  csrf: string;
}

export function consentPage(m: ConsentModel): string {
  const redirectHost = new URL(m.redirectUri).host;
  return page(
    `Connect ${m.clientName} to ${m.wikiTitle}`,
    html`<h1>Connect ${m.clientName}?</h1>
<p><strong>${m.clientName}</strong> wants to use the wiki <strong>${m.wikiTitle}</strong> (${m.wikiHost}) as you, <strong>@${m.handle}</strong>.</p>
<p>It may:</p>
<ul>${m.scopes.map((s) => html`<li>${SCOPE_TEXT[s]}</li>`)}</ul>
${m.narrowed ? html`<p class="notice">It asked to change the wiki too, but your role allows reading only, so it gets read access.</p>` : nothing}
<p>After you decide, your browser goes to <strong>${redirectHost}</strong>.${isLoopbackRedirect(m.redirectUri) ? html` That is a program on this computer: allow it only if you just started it yourself.` : nothing}</p>
<p class="muted">Client id: <code>${m.clientId}</code></p>
<form method="post" action="/authorize">
${Object.entries(m.fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<input type="hidden" name="_csrf" value="${m.csrf}">
<button class="primary" type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function notMemberPage(wikiTitle: string, handle: string, denyUrl: string): string {
  return page(
    'Not a member',
    html`<h1>You are not a member of ${wikiTitle}</h1>
<p>You are signed in as <strong>@${handle}</strong>, who has no role on this wiki, so you cannot connect an application to it. Ask the wiki's owner to add you, or sign in as someone else.</p>
<p><a class="button" href="${denyUrl}">Return to the application</a></p>`,
  );
}

export function authorizeErrorPage(message: string): string {
  return page('Cannot authorize', html`<h1>This authorization request cannot be used</h1><p>${message}</p><p>Go back to the application and connect again.</p>`);
}
