/**
 * What every full page around the content needs: the wiki, who is looking,
 * the top of the page tree for the sidebar, and where sign-in lives.
 */
import type { Wiki } from '../../lib/directory/wikis.ts';
import { cachedForHead } from '../service/head-cache.ts';
import { topLevelEntries, type TopLevelEntry } from '../service/page-tree.ts';
import type { UiContext, UiRequest } from './ui-request.ts';
import { signInUrl } from './urls.ts';

/** Most top-level entries the sidebar lists; the index shows the rest. */
export const SIDEBAR_ENTRIES = 150;

/** The page's frame: header, navigation and sidebar data. */
export interface Chrome {
  /** The wiki, or null on pages shown before access was granted (only the slug is known then). */
  wiki: Wiki | null;
  slug: string;
  /** The signed-in user's name, or null. */
  userName: string | null;
  /** Offer a sign-in link (to anonymous callers). */
  offerSignIn: boolean;
  canWrite: boolean;
  /** The sidebar's top-level entries; null when not shown. */
  tree: TopLevelEntry[] | null;
  /** The page being shown, for highlighting in the sidebar. */
  currentKey: string | null;
  /** The search box's text. */
  query: string;
  /** The apex sign-in address, coming back here. */
  signInHref: string;
}

/** The slug of the wiki host, for pages shown without a wiki (errors before the access check). */
export function hostSlug(c: UiContext): string {
  const host = (c.req.header('host') ?? '').toLowerCase().replace(/:\d+$/, '');
  const apex = `.${c.env.APEX}`;
  return host.endsWith(apex) ? host.slice(0, -apex.length) : host;
}

/** Where anonymous visitors go to sign in, returning to this address (GET) or the home page. */
export function signInHref(c: UiContext): string {
  const url = new URL(c.req.url);
  const back = c.req.method === 'GET' ? url.href : `${url.origin}/`;
  return signInUrl(c.env.PUBLIC_ORIGIN, back);
}

/** The chrome of a page the caller may see, with the sidebar loaded from the index. */
export async function chromeFor(c: UiContext, ui: UiRequest, options: { currentKey?: string; query?: string } = {}): Promise<Chrome> {
  const tree = await cachedForHead(`sidebar:${ui.wiki.id}:${ui.head}`, () => topLevelEntries(ui.repo, SIDEBAR_ENTRIES), (t) => t.length * 200);
  return {
    wiki: ui.wiki,
    slug: ui.wiki.slug,
    userName: ui.caller.kind === 'anonymous' ? null : ui.caller.name,
    offerSignIn: ui.caller.kind === 'anonymous',
    canWrite: ui.canWrite,
    tree,
    currentKey: options.currentKey ?? null,
    query: options.query ?? '',
    signInHref: signInHref(c),
  };
}

/**
 * The chrome of a page shown without access to the wiki (sign-in and refusal
 * pages): nothing of the wiki but its host name.
 */
export function bareChrome(c: UiContext, offerSignIn: boolean): Chrome {
  return { wiki: null, slug: hostSlug(c), userName: null, offerSignIn, canWrite: false, tree: null, currentKey: null, query: '', signInHref: signInHref(c) };
}
