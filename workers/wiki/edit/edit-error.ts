/**
 * The typed error of the page-edit functions, with a machine-readable reason
 * beside a message that says what to do next.
 */
import { AppError } from '../../lib/errors.ts';

/** Why an edit could not be applied. */
export type EditProblem =
  | 'empty_old_string'
  | 'identical_strings'
  | 'old_string_not_found'
  | 'old_string_ambiguous'
  | 'empty_addition'
  | 'empty_section_path'
  | 'section_not_found'
  | 'section_ambiguous';

/** An edit that does not fit the page (`AppError` code `invalid`, or `not_found` for a missing section). */
export class EditError extends AppError {
  readonly reason: EditProblem;

  /**
   * @param code - `invalid` (HTTP 400) or `not_found` (HTTP 404)
   * @param reason - the machine-readable cause, also put in `details.reason`
   * @param message - sentences telling a person or a model what to change
   * @param details - further machine-readable facts (counts, candidate sections)
   */
  constructor(code: 'invalid' | 'not_found', reason: EditProblem, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { reason, ...details });
    this.name = 'EditError';
    this.reason = reason;
  }
}
