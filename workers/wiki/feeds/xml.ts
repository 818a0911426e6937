/**
 * Writing XML text safely: the five special characters escaped, and characters XML 1.0 cannot
 * hold at all (C0 controls other than tab and newlines, unpaired surrogates, U+FFFE and U+FFFF),
 * which a commit message pushed with git may contain, replaced by U+FFFD. Without the second
 * step one control character would make a whole feed unreadable.
 */

// With the `u` flag an unpaired surrogate is one code point outside every range below.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** `text` as XML character data or an attribute value (either quote). */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITY[c]!);
}
