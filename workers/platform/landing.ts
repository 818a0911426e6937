/**
 * The landing page: what the product is and how to connect Claude. (The
 * watch-mode test edits this file's headline to see a change served.)
 */
import { html, type Html } from '../lib/html.ts';
import type { SessionUser } from './session.ts';
import { claudeCodeCommand, gitCloneUrl, mcpUrl, wikiOrigin } from './urls.ts';
import { layout } from './views/layout.ts';
import { copyBlock, noticeBox } from './views/parts.ts';

export function landingPage(publicOrigin: string, session: SessionUser | null, notice: string | null): Html {
  const slug = '{slug}';
  const start = session
    ? html`<a class="button primary" href="/app">Open your wikis</a>`
    : html`<a class="button primary" href="/sign-in">Sign in with Bluesky</a>`;
  const body = html`${noticeBox(notice)}
<section class="hero">
  <h1>Wikis for people and their AI agents</h1>
  <p class="lead">Wikifarm hosts wikis of Markdown pages. Each wiki lives at its own address,
  <code>${wikiOrigin(publicOrigin, slug)}</code>. You edit it in the browser, clone and push it with git,
  and connect Claude to it so Claude can read, search and write its pages.</p>
  <p class="actions">${start}</p>
</section>

<h2>What you get</h2>
<ul>
  <li>A wiki with history, search, backlinks, attachments, math and diagrams. It works on a phone, without JavaScript.</li>
  <li>An MCP endpoint for each wiki, so Claude.ai and Claude Code can use it as their notebook.</li>
  <li>A plain git repository you can clone, push and back up: <code>${gitCloneUrl(publicOrigin, slug)}</code>.</li>
  <li>Private wikis, or wikis anyone can read. Collaborators are owners, admins, editors or viewers.</li>
</ul>
<p>Sign in with your Bluesky (ATProto) account. You don't need a new password.</p>

<h2>Connect Claude</h2>
<h3>Claude Code</h3>
<p>Make a personal access token on your wiki's <em>Tokens</em> page, then run:</p>
${copyBlock(claudeCodeCommand(publicOrigin, slug), 'Claude Code command')}
<h3>Claude.ai</h3>
<ol class="steps">
  <li>In Claude.ai, open <em>Settings → Connectors</em> and choose <em>Add custom connector</em>.</li>
  <li>Paste your wiki's MCP address, <code>${mcpUrl(publicOrigin, slug)}</code>, and add it.</li>
  <li>Choose <em>Connect</em>, sign in here, and approve access to the wiki.</li>
</ol>
<p>Each wiki's <em>Connect</em> page shows these steps with the wiki's own addresses.</p>`;
  return layout({ title: 'Wikis for people and their AI agents', session, body, section: 'home' });
}
