/**
 * Assertions are for bugs and broken invariants (energy not conserved, negative SoC): they stop
 * the run loudly. Expected failures (bad input) are typed errors, see errors.ts.
 */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

export function assert(condition: unknown, message: string, details?: Record<string, unknown>): asserts condition {
  if (!condition) throw new InvariantError(message, details);
}
