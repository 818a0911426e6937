/**
 * The typed error for page and attachment names that cannot be used, with a
 * machine-readable reason beside the human message.
 */
import { AppError } from '../../lib/errors.ts';

/** Why a page or attachment name was refused. */
export type PageNameProblem =
  | 'not_a_string'
  | 'empty'
  | 'invalid_unicode'
  | 'control_character'
  | 'backslash'
  | 'absolute'
  | 'dot_segment'
  | 'hidden_segment'
  | 'reserved'
  | 'segment_too_long'
  | 'too_long'
  | 'too_deep'
  | 'page_extension'
  /** A character new page names may not contain (existing pages keep theirs). */
  | 'forbidden_character'
  /** A new page's address would open something else (an action, an attachment, a revision). */
  | 'shadowed';

/** An invalid page or attachment name (`AppError` code `invalid`, HTTP 400). */
export class PageNameError extends AppError {
  readonly reason: PageNameProblem;

  /**
   * @param reason - the machine-readable cause
   * @param message - a sentence telling the user what to change
   */
  constructor(reason: PageNameProblem, message: string) {
    super('invalid', message, { reason });
    this.name = 'PageNameError';
    this.reason = reason;
  }
}
