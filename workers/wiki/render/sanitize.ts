/**
 * The last step of rendering: the whole page's HTML goes through js-xss with a conservative
 * allow-list. Tags not on it are removed (their text kept, except the raw-text elements whose
 * body goes too), attributes not on it are dropped, and every kept attribute is decoded and
 * written again in one canonical, fully escaped form, so what was checked is what the browser sees.
 */
import { decodeHTMLAttribute } from 'entities';
import { FilterXSS, type IWhiteList } from 'xss';
import { escapeAttributeStrict, escapeHtml } from './escape.ts';
import { IMAGE_SCHEMES, isExternalUrl, LINK_SCHEMES, safeUrl } from './url-policy.ts';

const GLOBAL_ATTRIBUTES = ['class', 'id', 'title'];

const TAG_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  img: ['src', 'alt', 'width', 'height'],
  ol: ['start'],
  td: ['align', 'colspan', 'rowspan'],
  th: ['align', 'colspan', 'rowspan'],
  col: ['span'],
  colgroup: ['span'],
  details: ['open'],
};

const PLAIN_TAGS = [
  'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'del', 'div', 'dl', 'dt', 'em',
  'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'ins', 'kbd', 'li', 'mark',
  'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'span', 'strike', 'strong',
  'sub', 'summary', 'sup', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'u', 'ul', 'var', 'wbr',
];

/** Tag name → allowed attributes. */
const ALLOW_LIST: IWhiteList = Object.fromEntries(
  [...PLAIN_TAGS, ...Object.keys(TAG_ATTRIBUTES)].map((tag) => [tag, [...GLOBAL_ATTRIBUTES, ...(TAG_ATTRIBUTES[tag] ?? [])]]),
);

/** Elements whose content is removed with them (raw text, scripts, embedded documents, foreign content). */
const DROP_WITH_CONTENT = [
  'script', 'style', 'textarea', 'title', 'xmp', 'noscript', 'noembed', 'noframes', 'iframe', 'frame',
  'frameset', 'template', 'plaintext', 'object', 'applet', 'svg', 'math', 'select', 'option',
];

const CLASS_NAME = /^[\w+#.-]+$/;
const ID = /^[\w:.-]+$/;
const ALIGN = /^(?:left|right|center|justify)$/i;
const SIZE = /^\d{1,5}%?$/;

/**
 * Escapes a checked URL for an attribute. Colons after the scheme's become `&#58;` (the
 * browser decodes them back), so a relative `/javascript:x` never reads like a script URL.
 */
function escapeUrlAttribute(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '';
  return scheme + escapeHtml(url.slice(scheme.length)).replace(/:/g, '&#58;');
}

/** One allowed attribute, written again from its decoded value; '' drops it. */
function attribute(tag: string, name: string, rawValue: string): string {
  const value = decodeHTMLAttribute(rawValue);
  switch (name) {
    case 'href':
    case 'src': {
      const url = safeUrl(value, tag === 'a' ? LINK_SCHEMES : IMAGE_SCHEMES);
      if (!url) return '';
      const attr = `${name}="${escapeUrlAttribute(url)}"`;
      return tag === 'a' && isExternalUrl(url) ? `${attr} rel="nofollow noopener"` : attr;
    }
    case 'class': {
      const classes = value.split(/\s+/).filter((c) => CLASS_NAME.test(c));
      return classes.length > 0 ? `class="${classes.join(' ')}"` : '';
    }
    case 'id':
      return ID.test(value) ? `id="${escapeAttributeStrict(value)}"` : '';
    case 'align':
      return ALIGN.test(value.trim()) ? `align="${value.trim().toLowerCase()}"` : '';
    case 'width':
    case 'height':
    case 'start':
    case 'span':
    case 'colspan':
    case 'rowspan':
      return SIZE.test(value.trim()) ? `${name}="${value.trim()}"` : '';
    case 'open':
      return 'open';
    default:
      return `${name}="${escapeAttributeStrict(value)}"`;
  }
}

/** The markup a task-list checkbox is rendered as before sanitizing; only these become inputs. */
export function taskCheckboxMarker(nonce: string, checked: boolean): string {
  return `<input data-wf-task="${nonce}-${checked ? 1 : 0}">`;
}

const TASK_CHECKBOX = '<input class="task-list-item-checkbox" type="checkbox" disabled';

/**
 * Sanitizes a page's HTML. `taskNonce` is the per-render secret of the task checkboxes the
 * renderer wrote: an `<input>` is kept only when it is exactly such a marker, and then becomes
 * a disabled checkbox; every other input is removed.
 */
export function sanitizeHtml(html: string, taskNonce: string): string {
  const filter = new FilterXSS({
    whiteList: ALLOW_LIST,
    stripIgnoreTag: true,
    stripIgnoreTagBody: DROP_WITH_CONTENT,
    allowCommentTag: false,
    css: false,
    onTag(tag, tagHtml): string | undefined {
      if (tag !== 'input') return undefined;
      if (tagHtml === taskCheckboxMarker(taskNonce, true)) return `${TASK_CHECKBOX} checked>`;
      if (tagHtml === taskCheckboxMarker(taskNonce, false)) return `${TASK_CHECKBOX}>`;
      return '';
    },
    onTagAttr(tag, name, value, isWhiteAttr): string {
      return isWhiteAttr ? attribute(tag, name, value) : '';
    },
  });
  // js-xss marks removed bodies with "[removed]"/"[/removed]" and leaves the marker when a tag
  // is never closed. With every "[" of the input written as a character reference first, the
  // only literal markers in the output are its own; they go, and the references become "[" again.
  const output = filter.process(html.replace(/\[/g, '&#91;'));
  return output.replace(/\[\/?removed\]/g, '').replace(/&#91;/g, '[');
}
