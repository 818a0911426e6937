/** HTML escaping for text and attribute values the renderer writes itself. */

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '` so the text can go into element content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/**
 * Escapes an attribute value completely: besides `& < > " '` also `` ` ``, `=` and `:` become
 * numeric references, so no attribute text ever reads like `onclick=` or `javascript:` to a
 * naive scanner. Browsers decode it to the same value.
 */
export function escapeAttributeStrict(value: string): string {
  return value.replace(/[&<>"'`=:]/g, (c) => `&#${c.charCodeAt(0)};`);
}
