/**
 * A small, strict XML 1.0 reader for tests (no dependency): it refuses anything that is not
 * well-formed — characters XML cannot hold, unescaped `<` or `&`, unknown entities, unquoted or
 * repeated attributes, mismatched or unclosed tags, a second root, undeclared namespace prefixes,
 * a DOCTYPE — and gives back the element tree with entities decoded, so tests can assert structure.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function fail(src: string, pos: number, why: string): never {
  const line = src.slice(0, pos).split('\n').length;
  throw new Error(`not well-formed XML at line ${line} (offset ${pos}): ${why} near ${JSON.stringify(src.slice(pos, pos + 40))}`);
}

/** Decodes character and entity references in text or an attribute value; refuses a bare `&`. */
function decode(src: string, start: number, raw: string): string {
  return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string, offset: number) => {
    const at = start + offset;
    if (!whole.endsWith(';')) fail(src, at, 'an & that starts no reference');
    let ch: string | undefined;
    if (/^#[0-9]+$/.test(ref)) ch = String.fromCodePoint(Number(ref.slice(1)));
    else if (/^#x[0-9a-fA-F]+$/.test(ref)) ch = String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    else ch = PREDEFINED[ref];
    if (ch === undefined) fail(src, at, `unknown entity &${ref};`);
    if (NOT_XML_CHAR.test(ch)) fail(src, at, `a reference to a character XML cannot hold (&${ref};)`);
    return ch;
  });
}

/** Parses `src` as one XML document. @throws Error when it is not well-formed */
export function parseXml(src: string): XmlElement {
  const bad = NOT_XML_CHAR.exec(src);
  if (bad) fail(src, bad.index, `character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  let pos = 0;
  const stack: { el: XmlElement; ns: Set<string> }[] = [];
  let root: XmlElement | null = null;

  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0 || !/^<\?xml\s+version="1\.[0-9]"(?:\s+encoding="[A-Za-z][\w.-]*")?(?:\s+standalone="(?:yes|no)")?\s*\?>$/.test(src.slice(0, end + 2))) fail(src, 0, 'a bad XML declaration');
    pos = end + 2;
  }

  const checkPrefix = (name: string, ns: Set<string>, at: number): void => {
    const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : null;
    if (prefix && prefix !== 'xml' && prefix !== 'xmlns' && !ns.has(prefix)) fail(src, at, `undeclared namespace prefix "${prefix}"`);
  };

  while (pos < src.length) {
    const lt = src.indexOf('<', pos);
    const textEnd = lt < 0 ? src.length : lt;
    if (textEnd > pos) {
      const raw = src.slice(pos, textEnd);
      if (raw.includes(']]>')) fail(src, pos + raw.indexOf(']]>'), '"]]>" in text');
      const text = decode(src, pos, raw);
      if (stack.length === 0) {
        if (text.trim() !== '') fail(src, pos, 'text outside the root element');
      } else {
        stack.at(-1)!.el.children.push(text);
      }
    }
    if (lt < 0) break;
    pos = lt;
    if (src.startsWith('<!--', pos)) {
      const end = src.indexOf('-->', pos + 4);
      if (end < 0 || src.slice(pos + 4, end).includes('--')) fail(src, pos, 'a bad comment');
      pos = end + 3;
    } else if (src.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail(src, pos, 'CDATA outside the root element');
      const end = src.indexOf(']]>', pos);
      if (end < 0) fail(src, pos, 'an unclosed CDATA section');
      stack.at(-1)!.el.children.push(src.slice(pos + 9, end));
      pos = end + 3;
    } else if (src.startsWith('<?', pos)) {
      const end = src.indexOf('?>', pos);
      if (end < 0 || /^<\?xml\b/i.test(src.slice(pos))) fail(src, pos, 'a bad processing instruction');
      pos = end + 2;
    } else if (src.startsWith('<!', pos)) {
      fail(src, pos, 'a DOCTYPE or other declaration (not expected here)');
    } else if (src.startsWith('</', pos)) {
      const name = NAME.exec(src.slice(pos + 2))?.[0];
      const open = stack.pop();
      if (!name || !open || open.el.name !== name) fail(src, pos, `an end tag </${name ?? '?'}> that closes ${open ? `<${open.el.name}>` : 'nothing'}`);
      pos += 2 + name.length;
      const close = /^\s*>/.exec(src.slice(pos));
      if (!close) fail(src, pos, 'a bad end tag');
      pos += close[0].length;
    } else {
      const name = NAME.exec(src.slice(pos + 1))?.[0];
      if (!name) fail(src, pos, 'a "<" that starts no tag');
      if (stack.length === 0 && root) fail(src, pos, 'a second root element');
      const el: XmlElement = { name, attrs: {}, children: [] };
      const ns = new Set(stack.at(-1)?.ns ?? []);
      const tagAt = pos;
      pos += 1 + name.length;
      const rawAttrs: [string, string, number][] = [];
      for (;;) {
        const m = /^(\s*)(\/?>)?/.exec(src.slice(pos))!;
        if (m[2]) {
          pos += m[0].length;
          break;
        }
        if (!m[1]) fail(src, pos, 'attributes not separated by white space');
        pos += m[1].length;
        const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/.exec(src.slice(pos));
        if (!attr) fail(src, pos, 'a bad attribute (unquoted, or "<" in its value)');
        const attrName = attr[1]!;
        if (attrName in el.attrs || rawAttrs.some(([n]) => n === attrName)) fail(src, pos, `a repeated attribute ${attrName}`);
        const valueAt = pos + attr[0].length - (attr[2] ?? attr[3] ?? '').length - 1;
        rawAttrs.push([attrName, attr[2] ?? attr[3] ?? '', valueAt]);
        if (attrName.startsWith('xmlns:')) ns.add(attrName.slice(6));
        pos += attr[0].length;
      }
      checkPrefix(name, ns, tagAt);
      for (const [attrName, raw, at] of rawAttrs) {
        checkPrefix(attrName, ns, at);
        el.attrs[attrName] = decode(src, at, raw);
      }
      if (stack.length) stack.at(-1)!.el.children.push(el);
      else root = el;
      if (!src.slice(tagAt, pos).endsWith('/>')) stack.push({ el, ns });
    }
  }
  if (stack.length) fail(src, src.length, `<${stack.at(-1)!.el.name}> is never closed`);
  if (!root) fail(src, 0, 'no root element');
  return root;
}

/** The child elements of `el` named `name`. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** The one child element of `el` named `name`. @throws Error when there is none or several */
export function child(el: XmlElement, name: string): XmlElement {
  const found = childrenNamed(el, name);
  if (found.length !== 1) throw new Error(`<${el.name}> has ${found.length} <${name}> children, expected 1`);
  return found[0]!;
}

/** All text inside `el`, entities decoded. */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
