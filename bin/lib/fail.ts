/** Start-up failures the operator must act on: one clear message, then a non-zero exit. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
