/** For CLI tests: awaits a command that must fail on bad input, and checks it exits with code 2. */
import { expect } from 'vitest';
import { GridmeshError } from '../../core/errors.js';
import { exitCodeFor } from '../program.js';

export async function usageFailure(action: Promise<unknown>): Promise<GridmeshError> {
  const error = await action.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(GridmeshError);
  expect(exitCodeFor(error)).toBe(2);
  return error as GridmeshError;
}
