import { GridmeshError } from '../../errors.js';

/** A cascade request the simulation cannot run (bad trigger, option or network); the message says why. */
export class CascadeError extends GridmeshError {
  override readonly name = 'CascadeError';
}
