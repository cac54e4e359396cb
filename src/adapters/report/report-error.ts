import { GridmeshError } from '../../core/errors.js';

/** The report cannot be made from the runs given (none, too many, or runs that do not match). */
export class ReportError extends GridmeshError {
  override readonly name = 'ReportError';
}
