/**
 * The frame of every UI page: header (wiki title, search, navigation, who is
 * signed in), the content, and the sidebar with the top of the page tree.
 * No inline script or style: everything comes from `/-/static/`.
 */
import type { Chrome } from '../chrome.ts';
import { html, nothing, type Html } from '../template.ts';
import { feedUrl, pageUrl, specialUrl, staticUrl } from '../urls.ts';
import { sidebarTree } from './tree.ts';

/** Browser scripts a page may load (files in `ui/static/`). */
export type Script = 'editor.js' | 'extras.js';

/** One full page. */
export interface Shell {
  /** What the browser tab shows before the wiki's name. */
  title: string;
  chrome: Chrome;
  body: Html;
  scripts?: Script[];
}

function header(chrome: Chrome): Html {
  const name = chrome.wiki?.title ?? chrome.slug;
  const user = chrome.userName
    ? html`<span class="user" title="Signed in">${chrome.userName}</span>`
    : chrome.offerSignIn
      ? html`<a class="user sign-in" href="${chrome.signInHref}">Sign in</a>`
      : nothing;
  const links = chrome.wiki
    ? html`<nav class="site-nav" aria-label="Wiki">
        <a href="/">Home</a>
        <a href="${specialUrl('index')}">Index</a>
        <a href="${specialUrl('changes')}">Changes</a>
        ${chrome.canWrite ? html`<a href="${specialUrl('create')}">New page</a>` : nothing}
      </nav>
      <form class="search-box" action="${specialUrl('search')}" method="get" role="search">
        <input type="search" name="q" value="${chrome.query}" placeholder="Search" aria-label="Search this wiki" maxlength="500">
        <button type="submit">Search</button>
      </form>`
    : nothing;
  return html`<header class="site-header">
    <a class="brand" href="/">${name}</a>
    ${links}
    ${user}
  </header>`;
}

/** The feeds of recent changes, for browsers and feed readers to discover. */
function feedLinks(siteName: string): Html {
  return html`<link rel="alternate" type="application/rss+xml" title="${siteName}: recent changes (RSS)" href="${feedUrl('rss')}">
<link rel="alternate" type="application/atom+xml" title="${siteName}: recent changes (Atom)" href="${feedUrl('atom')}">`;
}

/** The whole document for `shell`. */
export function layout(shell: Shell): Html {
  const { chrome } = shell;
  const siteName = chrome.wiki?.title ?? chrome.slug;
  const sidebar = chrome.tree
    ? html`<aside class="sidebar" aria-label="Pages">
        <h2 class="sidebar-title"><a href="${specialUrl('index')}">Pages</a></h2>
        ${sidebarTree(chrome.tree, chrome.currentKey)}
      </aside>`
    : nothing;
  const scripts = (shell.scripts ?? []).map((s) => html`<script src="${staticUrl(s)}" defer></script>`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${shell.title} · ${siteName}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${staticUrl('wiki.css')}">
${chrome.wiki ? feedLinks(siteName) : nothing}
${scripts}
</head>
<body class="${chrome.tree ? 'with-sidebar' : 'no-sidebar'}">
<a class="skip-link" href="#content">Skip to the content</a>
${header(chrome)}
<div class="page-frame">
<main id="content" class="content">
${shell.body}
</main>
${sidebar}
</div>
<footer class="site-footer">
  ${chrome.wiki ? html`<a href="${pageUrl('Home')}">${siteName}</a> · ` : nothing}<span>Wikifarm</span>
</footer>
</body>
</html>`;
}
