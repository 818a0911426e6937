/** Heading anchors exactly as Otterwiki makes them (`otterwiki.util.slugify` and its duplicate counter). */

/** Python's `str.isspace()` for ASCII, which `\s` and `strip()` use there. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f ';
const EDGE_SPACE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const NOT_SLUG_CHAR = new RegExp(`[^A-Za-z0-9_${PY_SPACE}-]`, 'g');
const SEPARATOR_RUN = new RegExp(`[${PY_SPACE}-]+`, 'g');

/**
 * Otterwiki's slug: NFKD, drop non-ASCII, trim, lowercase, remove everything but letters,
 * digits, `_`, `-` and whitespace, then turn runs of `-`/whitespace into one `-`.
 * `"Héllo, World!"` → `"hello-world"`.
 */
export function slugify(value: string): string {
  const ascii = value.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  return ascii.replace(EDGE_SPACE, '').toLowerCase().replace(NOT_SLUG_CHAR, '').replace(SEPARATOR_RUN, '-');
}

/**
 * A fresh id allocator for one page: the first heading with a slug gets it as is, later ones
 * `-1`, `-2`, … (Otterwiki counts per slug and does not re-check the suffixed ids).
 */
export function createHeadingIds(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text: string): string => {
    const slug = slugify(text);
    const count = seen.get(slug);
    if (count === undefined) {
      seen.set(slug, 0);
      return slug;
    }
    seen.set(slug, count + 1);
    return `${slug}-${count + 1}`;
  };
}
