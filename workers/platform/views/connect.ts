/** A wiki's connection page: its MCP address, the Claude Code command, Claude.ai steps, git. */
import { html, nothing, type Html } from '../../lib/html.ts';
import type { WikiAccess } from '../manage/wiki-access.ts';
import type { SessionUser } from '../session.ts';
import { claudeCodeCommand, gitCloneUrl, mcpUrl, wikiOrigin } from '../urls.ts';
import { copyBlock } from './parts.ts';
import { wikiFrame } from './wiki-frame.ts';

export function connectPage(publicOrigin: string, session: SessionUser, access: WikiAccess, notice: string | null): Html {
  const slug = access.wiki.slug;
  const body = html`<h2>MCP address</h2>
<p>Claude talks to this wiki at:</p>
${copyBlock(mcpUrl(publicOrigin, slug), 'MCP address')}

<h2>Claude Code</h2>
<p><a href="/app/wikis/${slug}/tokens">Make a personal access token</a>, then run this with the token in place of <code>TOKEN</code>:</p>
${copyBlock(claudeCodeCommand(publicOrigin, slug), 'Claude Code command')}

<h2>Claude.ai</h2>
<ol class="steps">
  <li>In Claude.ai, open <em>Settings → Connectors</em> and choose <em>Add custom connector</em>.</li>
  <li>Give it a name, such as <code>${slug}</code>, and paste the MCP address above as its URL.</li>
  <li>Choose <em>Connect</em>. Sign in here and approve access to <strong>${slug}</strong>.</li>
</ol>
<p class="muted small">Apps you approve are listed under <a href="/app/wikis/${slug}/connections">Connected apps</a>, where you can revoke them.</p>

<h2>Git</h2>
${access.wiki.gitAccess
    ? html`<p>Clone the wiki with a personal access token as the password:</p>
${copyBlock(`git clone ${gitCloneUrl(publicOrigin, slug)} ${slug}`, 'git clone command')}
<p class="muted small">Pages are Markdown files. Pushing changes them like an edit in the browser.</p>`
    : html`<p class="muted">Git access is off for this wiki.${access.role === 'owner' || access.role === 'admin' ? html` Turn it on in <a href="/app/wikis/${slug}/settings">Settings</a>.` : nothing}</p>`}

<h2>In the browser</h2>
<p><a class="button" href="${wikiOrigin(publicOrigin, slug)}/">Open ${access.wiki.title}</a></p>`;
  return wikiFrame({ publicOrigin, session, access, tab: 'connect', title: 'Connect', body, notice });
}
