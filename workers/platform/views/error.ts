/** A friendly page for a failed request: what happened and where to go next. */
import { html, nothing, type Html } from '../../lib/html.ts';
import type { SessionUser } from '../session.ts';
import { layout } from './layout.ts';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  401: 'Sign in first',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That clashes with something',
  413: 'Too large',
  429: 'Slow down a little',
  503: 'Temporarily unavailable',
};

export function errorPage(status: number, message: string, session: SessionUser | null, retryAfterS?: number): Html {
  const title = TITLES[status] ?? 'Something went wrong';
  const body = html`<h1>${title}</h1>
<p>${message}</p>
${status === 429 && retryAfterS ? html`<p class="muted">You can try again in ${retryAfterS < 120 ? `${retryAfterS} seconds` : `${Math.ceil(retryAfterS / 60)} minutes`}.</p>` : nothing}
<p class="actions"><a class="button" href="${session ? '/app' : '/'}">${session ? 'Your wikis' : 'Home'}</a></p>`;
  return layout({ title, session, body });
}
