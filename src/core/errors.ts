/**
 * Typed errors for expected failures. They carry a short message, optional details and a cause,
 * and reach the user as a clear message (the CLI prints `message` and `details`, never a stack).
 */
export class GridmeshError extends Error {
  override readonly name: string = 'GridmeshError';
  readonly details: readonly string[];
  constructor(message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? [];
  }
}

/** A scenario (file or object) that does not match the schema; `details` lists `path: expected`. */
export class ScenarioError extends GridmeshError {
  override readonly name = 'ScenarioError';
}

/** A bad command-line argument or option value. */
export class UsageError extends GridmeshError {
  override readonly name = 'UsageError';
}

/** Data that fails a trust check (a malformed leaf or record, a bad signature, a broken proof). */
export class TrustError extends GridmeshError {
  override readonly name = 'TrustError';
}
