/**
 * Reading a state-changing form: the body is parsed (URL-encoded or
 * multipart), then the CSRF check runs before the handler may do anything.
 */
import { AppError } from '../../lib/errors.ts';
import { CSRF_FIELD, CSRF_HEADER, requireCsrf } from '../csrf.ts';
import type { UiContext, UiRequest } from './ui-request.ts';

type Value = string | File;

/** A parsed form: text fields and files by name. */
export class Form {
  readonly #fields: Record<string, Value | Value[]>;

  constructor(fields: Record<string, Value | Value[]>) {
    this.#fields = fields;
  }

  #values(name: string): Value[] {
    const v = this.#fields[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  /** The first text value of `name`, or ''. */
  text(name: string): string {
    const v = this.#values(name).find((x): x is string => typeof x === 'string');
    return v ?? '';
  }

  /** Every file sent as `name` (empty file inputs left out). */
  files(name: string): File[] {
    return this.#values(name).filter((x): x is File => typeof x !== 'string' && (x.size > 0 || x.name !== ''));
  }
}

/**
 * Parses the request's form and checks it came from this wiki's own page with
 * the caller's CSRF token (the `_csrf` field, or the `x-csrf-token` header).
 *
 * @throws AppError `forbidden` from another origin or without the right token; `unauthorized` when signed out
 */
export async function readForm(c: UiContext, ui: UiRequest): Promise<Form> {
  const type = c.req.header('content-type') ?? '';
  let parsed = {};
  if (/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
    try {
      parsed = await c.req.parseBody({ all: true });
    } catch {
      throw new AppError('invalid', 'The form could not be read. Reload the page and try again.');
    }
  }
  const form = new Form(parsed as Record<string, Value | Value[]>);
  requireCsrf(c.req.raw, ui.caller, c.req.header(CSRF_HEADER) || form.text(CSRF_FIELD));
  return form;
}
