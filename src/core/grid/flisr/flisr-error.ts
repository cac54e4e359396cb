import { GridmeshError } from '../../errors.js';

/**
 * An FLISR request that cannot be carried out as asked: a bad switch plan (unknown branch, a tie
 * listed as a sectionaliser, a switch listed twice), a fault on a branch that does not exist or
 * carries no current, limits out of range, a meshed normal configuration, or too many power flows.
 * The message names the switch, branch or limit (case bus numbers, `from–to`).
 */
export class FlisrError extends GridmeshError {
  override readonly name = 'FlisrError';
}
