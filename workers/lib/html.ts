/**
 * HTML templates (the wiki's web UI, the platform's pages): hono's `html` tag, which escapes every
 * interpolated value unless it is already HTML made by a template. `raw` is
 * only for HTML that is safe by construction (the renderer's sanitised output,
 * escaped search snippets).
 */
import { html as honoHtml, raw } from 'hono/html';

/** HTML made by a template (or explicitly trusted with `raw`). */
export type Html = ReturnType<typeof raw>;

/**
 * `html` for synchronous templates: templates never interpolate promises, so the
 * result is always a finished string.
 *
 * @throws Error if a template was given a promise
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const out = honoHtml(strings, ...values);
  if (out instanceof Promise) throw new Error('HTML templates must not interpolate promises');
  return out;
}

/** Trusts already-safe HTML (the renderer's sanitised output, escaped snippets). */
export function trusted(safeHtml: string): Html {
  return raw(safeHtml);
}

/** An empty fragment. */
export const nothing: Html = raw('');
