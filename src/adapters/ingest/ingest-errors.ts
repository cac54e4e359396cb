/** Failures of the worker-thread verifier: a worker that failed or exited, a closed verifier. */
import { GridmeshError } from '../../core/errors.js';

export type IngestWorkerFailure = 'worker-failed' | 'bad-batch' | 'closed' | 'too-many-records' | 'bad-config';

export class IngestWorkerError extends GridmeshError {
  override readonly name = 'IngestWorkerError';
  constructor(readonly reason: IngestWorkerFailure, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options);
  }
}
