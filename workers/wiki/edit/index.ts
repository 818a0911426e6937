/**
 * Pure edits of a page's raw text (frontmatter included), each returning the
 * new text: unique find-and-replace, section read/replace/append/prepend by
 * heading path, page-level append/prepend, and line diffs. No I/O; failures
 * are `EditError`s (an `AppError`) whose messages say what to do next.
 */
export { EditError, type EditProblem } from './edit-error.ts';
export { findReplaceOnce } from './find-replace.ts';
export { appendText, prependText, type PrependOptions } from './page-append.ts';
export { findSection, selectSection } from './section-path.ts';
export {
  appendToSection,
  prependToSection,
  readSection,
  replaceSection,
  type ReplaceSectionOptions,
} from './section-edit.ts';
export { formatSectionPath, parseSections, type Section } from './sections.ts';
export {
  diffLines,
  unifiedDiff,
  type DiffHunk,
  type DiffLine,
  type DiffLineKind,
  type DiffOptions,
  type UnifiedDiffOptions,
} from './diff.ts';
