/** The sign-in page: one field (handle, DID or PDS address), posted to the auth worker. */
import { html, nothing, type Html } from '../../lib/html.ts';
import { nameOf, type SessionUser } from '../session.ts';
import { layout } from './layout.ts';
import { errorBox } from './parts.ts';

export interface SignInForm {
  handle: string;
  returnTo: string;
  error: string | null;
}

export function signInPage(form: SignInForm, session: SessionUser | null): Html {
  const already = session
    ? html`<div class="info-box">You are signed in as <strong>${nameOf(session)}</strong>. <a href="/app">Go to your wikis</a>, or sign in again as someone else below.</div>`
    : nothing;
  const body = html`<h1>Sign in</h1>
${already}
${errorBox(form.error)}
<p>Sign in with your Bluesky account, or any other ATProto account. Your account's server asks you to approve, then sends you back here.</p>
<form class="stack" method="post" action="/auth/login">
  <input type="hidden" name="return_to" value="${form.returnTo}">
  <div class="field">
    <label for="handle">Your handle</label>
    <input id="handle" name="handle" type="text" value="${form.handle}" required maxlength="300"
      autocomplete="username" autocapitalize="none" autocorrect="off" spellcheck="false" inputmode="url" placeholder="alice.bsky.social" autofocus>
    <span class="hint">A handle like <code>alice.bsky.social</code>, a DID, or your PDS's address (<code>https://…</code>).</span>
  </div>
  <div class="actions"><button type="submit" class="primary">Continue</button></div>
</form>
<p class="muted small">Wikifarm keeps your DID, handle and display name. It never sees your password.</p>`;
  return layout({ title: 'Sign in', session, body });
}
