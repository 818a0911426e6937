/**
 * Attachment file names made safe the way werkzeug's `secure_filename` does
 * (wiki-reference §5), so imported robot.wtf attachments and new uploads get
 * the same names: ASCII only, whitespace → `_`, path separators and leading or
 * trailing dots/underscores removed. Pure function.
 */
import { PageNameError } from './page-name-error.ts';
import { PAGE_EXTENSION } from './page-files.ts';

/** Longest attachment file name, in characters (all ASCII after cleaning). */
export const MAX_ATTACHMENT_NAME = 200;

/** The outcome of {@link secureAttachmentName}. */
export type AttachmentNameResult = { ok: true; name: string } | { ok: false; error: PageNameError };

// Python's str.split() whitespace within ASCII.
const WHITESPACE = /[\t\n\v\f\r\x1c-\x1f ]+/;
const NOT_SAFE = /[^A-Za-z0-9_.-]/g;
const EDGE_DOTS_UNDERSCORES = /^[._]+|[._]+$/g;
const NON_ASCII = /[^\x00-\x7f]/g;
const WINDOWS_DEVICES: ReadonlySet<string> = new Set([
  'CON', 'PRN', 'AUX', 'NUL',
  ...Array.from({ length: 10 }, (_, i) => `COM${i}`),
  ...Array.from({ length: 10 }, (_, i) => `LPT${i}`),
]);

/**
 * Makes an uploaded file name safe to store in a page's attachment folder.
 * Beyond werkzeug: Windows device names are always prefixed with `_` (so
 * clones work on Windows), names ending in `.md` are refused (they would
 * become subpages), and names longer than {@link MAX_ATTACHMENT_NAME}.
 *
 * @example secureAttachmentName('my report (1).pdf') // { ok: true, name: 'my_report_1.pdf' }
 * @example secureAttachmentName('../../etc/passwd')  // { ok: true, name: 'etc_passwd' }
 * @example secureAttachmentName('日本.png')           // { ok: true, name: 'png' }
 */
export function secureAttachmentName(input: unknown): AttachmentNameResult {
  if (typeof input !== 'string') {
    return { ok: false, error: new PageNameError('not_a_string', 'An attachment name must be text.') };
  }
  // A lone surrogate would make normalize() keep it; removing non-ASCII drops it either way.
  const ascii = input.normalize('NFKD').replace(NON_ASCII, '').replace(/[/\\]/g, ' ');
  const joined = ascii.split(WHITESPACE).filter((part) => part !== '').join('_');
  let name = joined.replace(NOT_SAFE, '').replace(EDGE_DOTS_UNDERSCORES, '');
  if (name === '') {
    return {
      ok: false,
      error: new PageNameError('empty', 'The attachment name is empty once unsafe characters are removed; use letters, digits, "-", "_" or ".".'),
    };
  }
  if (WINDOWS_DEVICES.has((name.split('.')[0] ?? '').toUpperCase())) name = `_${name}`;
  if (name.endsWith(PAGE_EXTENSION)) {
    return { ok: false, error: new PageNameError('page_extension', 'An attachment may not end in ".md"; that would make it a subpage.') };
  }
  if (name.length > MAX_ATTACHMENT_NAME) {
    return {
      ok: false,
      error: new PageNameError('segment_too_long', `The attachment name is too long: at most ${MAX_ATTACHMENT_NAME} characters are allowed.`),
    };
  }
  return { ok: true, name };
}
