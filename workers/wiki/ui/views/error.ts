/** Error pages: a refusal to sign in, a refusal to a non-member, and every other error with its status and message. */
import type { Chrome } from '../chrome.ts';
import { html, nothing, type Html } from '../template.ts';
import { layout } from './layout.ts';
import { notice } from './parts.ts';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  401: 'Sign in to continue',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  429: 'Too many requests',
  503: 'Unavailable',
};

/** An error page for `status` with the error's message (and `extra` advice). */
export function errorView(chrome: Chrome, status: number, message: string, extra: Html = nothing): Html {
  const title = TITLES[status] ?? 'Something went wrong';
  const signIn = status === 401 && chrome.offerSignIn ? html`<p><a class="button primary" href="${chrome.signInHref}">Sign in</a></p>` : nothing;
  const home = chrome.wiki ? html`<p><a href="/">Back to the home page</a></p>` : nothing;
  const body = html`<h1>${title}</h1>
${notice(status >= 500 ? 'error' : status === 404 ? 'info' : 'error', html`<p>${message}</p>`)}
${extra}
${signIn}
${home}`;
  return layout({ title, chrome, body });
}

/** The page anonymous visitors of a private wiki see: nothing of the wiki but that it wants a sign-in. */
export function signInView(chrome: Chrome): Html {
  const body = html`<h1>Sign in to continue</h1>
${notice('info', html`<p>The wiki <strong>${chrome.slug}</strong> is private: only its members can read it.</p>`)}
<p><a class="button primary" href="${chrome.signInHref}">Sign in</a></p>`;
  return layout({ title: 'Sign in', chrome, body });
}

/** The page signed-in non-members of a private wiki see. */
export function forbiddenView(chrome: Chrome, message: string): Html {
  const body = html`<h1>Not a member</h1>
${notice('error', html`<p>${message}</p>`)}
<p>Ask the wiki's owner to add you as a member.</p>`;
  return layout({ title: 'Not a member', chrome, body });
}
