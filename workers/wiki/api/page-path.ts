/**
 * `/api/v1/pages/<key>[/<action>]`: page keys contain `/`, so the action is
 * read from the end of the path, and a page literally named `…/history` is
 * reached with the methods that action does not use (as in robot.wtf).
 */
import { AppError } from '../../lib/errors.ts';
import { pageKeyOrThrow } from '../pages/page-name.ts';

export type PageAction =
  | { action: 'page'; key: string }
  | { action: 'history'; key: string }
  | { action: 'diff'; key: string }
  | { action: 'blame'; key: string }
  | { action: 'rename'; key: string }
  | { action: 'attachments'; key: string }
  | { action: 'attachment'; key: string; name: string };

export const PAGES_PREFIX = '/api/v1/pages/';

export function parsePagePath(pathname: string, method: string): PageAction {
  let rest: string;
  try {
    rest = decodeURIComponent(pathname.slice(PAGES_PREFIX.length));
  } catch {
    throw new AppError('invalid', 'The page path is not valid percent-encoded UTF-8.');
  }
  const cut = (suffix: string) => pageKeyOrThrow(rest.slice(0, -suffix.length));
  if (method === 'GET' && rest.endsWith('/history')) return { action: 'history', key: cut('/history') };
  if (method === 'GET' && rest.endsWith('/diff')) return { action: 'diff', key: cut('/diff') };
  if (method === 'GET' && rest.endsWith('/blame')) return { action: 'blame', key: cut('/blame') };
  if (method === 'POST' && rest.endsWith('/rename')) return { action: 'rename', key: cut('/rename') };
  if ((method === 'GET' || method === 'POST') && rest.endsWith('/attachments')) return { action: 'attachments', key: cut('/attachments') };
  const at = rest.lastIndexOf('/attachments/');
  if ((method === 'GET' || method === 'DELETE') && at > 0) {
    const name = rest.slice(at + '/attachments/'.length);
    if (name && !name.includes('/')) return { action: 'attachment', key: pageKeyOrThrow(rest.slice(0, at)), name };
  }
  return { action: 'page', key: pageKeyOrThrow(rest) };
}
