import { GridmeshError } from '../../errors.js';

/**
 * A MATPOWER case file that cannot be imported. `line` is the 1-based line of the offending
 * statement or matrix row when there is one; the message then starts with `line N: `.
 */
export class CaseFileError extends GridmeshError {
  override readonly name = 'CaseFileError';
  readonly line: number | undefined;
  constructor(message: string, options: { line?: number; details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options);
    this.line = options.line;
  }
}

/** A CaseFileError about one line of the file. */
export function lineError(line: number, problem: string, details?: readonly string[]): CaseFileError {
  return new CaseFileError(`line ${line}: ${problem}`, { line, ...(details === undefined ? {} : { details }) });
}
