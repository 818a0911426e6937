/**
 * What a UI path on a wiki host asks for. Page keys contain `/`, so the
 * action is read from the end of the path (as in Otterwiki): a page literally
 * named `…/edit` is shadowed by the edit action of its parent.
 */
import { AppError } from '../../lib/errors.ts';
import { addressAction, ATTACHMENT_ADDRESS, pageKeyOrThrow, REVISION_ADDRESS, type PageAction } from '../pages/page-name.ts';

/** The wiki's home page, shown at `/`. */
export const HOME = 'Home';

export type PageRoute =
  /** `/<key>`; `canonical` is false when the address is not the page's own (spaces, `.md`, a trailing `/`). */
  | { kind: 'view'; key: string; canonical: boolean }
  | { kind: 'action'; key: string; action: PageAction }
  | { kind: 'revision'; key: string; revision: string }
  | { kind: 'attachment'; key: string; name: string }
  | { kind: 'attachment-delete'; key: string };

/**
 * Parses a request path (still percent-encoded) that is not under `/-/`.
 *
 * @throws AppError `invalid` for bad percent-encoding or a name that cannot be a page
 */
export function parsePageRoute(pathname: string): PageRoute {
  let path: string;
  try {
    path = decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    throw new AppError('invalid', 'The address is not valid percent-encoded UTF-8.');
  }
  if (path === '') return { kind: 'view', key: HOME, canonical: true };
  let m = REVISION_ADDRESS.exec(path);
  if (m) return { kind: 'revision', key: pageKeyOrThrow(m[1]), revision: m[2]! };
  m = ATTACHMENT_ADDRESS.exec(path);
  if (m) return { kind: 'attachment', key: pageKeyOrThrow(m[1]), name: m[2]! };
  m = /^(.+)\/attachments\/delete$/.exec(path);
  if (m) return { kind: 'attachment-delete', key: pageKeyOrThrow(m[1]) };
  const action = addressAction(path);
  if (action) return { kind: 'action', key: pageKeyOrThrow(action.key), action: action.action };
  const key = pageKeyOrThrow(path);
  return { kind: 'view', key, canonical: key === path };
}
