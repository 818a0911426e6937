/**
 * The frame of every platform page: header (brand, navigation, who is
 * signed in, sign out), the content, a footer. No script and no inline style.
 */
import { html, nothing, type Html } from '../../lib/html.ts';
import { nameOf, type SessionUser } from '../session.ts';
import { csrfField } from './parts.ts';
import { PLATFORM_CSS_PATH, PLATFORM_CSS_VERSION } from './styles.ts';

export type Section = 'home' | 'wikis' | 'account' | 'admin';

export interface Shell {
  /** What the browser tab shows before "Wikifarm". */
  title: string;
  session: SessionUser | null;
  body: Html;
  section?: Section;
}

function current(shell: Shell, section: Section): Html {
  return shell.section === section ? html` aria-current="page"` : nothing;
}

function header(shell: Shell): Html {
  const { session } = shell;
  if (!session) {
    return html`<header class="site-header">
  <a class="brand" href="/">Wikifarm</a>
  <div class="who"><a class="button primary" href="/sign-in">Sign in</a></div>
</header>`;
  }
  return html`<header class="site-header">
  <a class="brand" href="/app">Wikifarm</a>
  <nav class="site-nav" aria-label="Platform">
    <a href="/app"${current(shell, 'wikis')}>Your wikis</a>
    <a href="/app/account"${current(shell, 'account')}>Account</a>
    ${session.isPlatformAdmin ? html`<a href="/app/admin"${current(shell, 'admin')}>Admin</a>` : nothing}
  </nav>
  <div class="who">
    <span class="user" title="${session.did}">${nameOf(session)}</span>
    <form class="inline-form" method="post" action="/auth/logout">${csrfField(session)}<button type="submit">Sign out</button></form>
  </div>
</header>`;
}

export function layout(shell: Shell): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin">
<meta name="color-scheme" content="light dark">
<title>${shell.title} · Wikifarm</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${PLATFORM_CSS_PATH}?v=${PLATFORM_CSS_VERSION}">
</head>
<body>
<a class="skip-link" href="#content">Skip to the content</a>
${header(shell)}
<main id="content">
${shell.body}
</main>
<footer class="site-footer">Wikifarm: wikis for people and their AI agents. <a href="/">About</a></footer>
</body>
</html>`;
}
