import { GridmeshError } from '../../errors.js';

/**
 * A network or request a power-flow solver cannot handle, or a solve that did not converge; the
 * message says why (and, where it helps, which method to use instead), the details name buses.
 */
export class PowerFlowError extends GridmeshError {
  override readonly name = 'PowerFlowError';
}
