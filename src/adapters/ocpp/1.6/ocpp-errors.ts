/** Expected failures of the OCPP 1.6J link: an unknown or absent charger, a timeout, a refusal. */
import { GridmeshError } from '../../../core/errors.js';

export type OcppFailure =
  | 'bad-config'
  | 'bad-payload'
  | 'not-connected'
  | 'timeout'
  | 'rejected'
  | 'call-failed'
  | 'reading-buffer-full'
  | 'closed';

export class OcppError extends GridmeshError {
  override readonly name = 'OcppError';
  constructor(readonly reason: OcppFailure, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options);
  }
}
