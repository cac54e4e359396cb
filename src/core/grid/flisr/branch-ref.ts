/**
 * How FLISR names branches: by index into `network.branches` inside the code, and by the case
 * file's bus numbers `from-to` for people (either order matches, a line has no direction).
 */
import type { PowerNetwork } from '../network.js';
import { FlisrError } from './flisr-error.js';

/** A branch as a user gives it: its index in `network.branches` (0-based) or `"from-to"` by case bus numbers. */
export type BranchRef = number | string;

/** A branch in results: its index and its ends by case bus numbers. */
export interface BranchLabel {
  readonly index: number;
  readonly from: number;
  readonly to: number;
}

const PAIR = /^\s*(\d+)\s*[-–]\s*(\d+)\s*$/;

export function branchLabel(network: PowerNetwork, index: number): BranchLabel {
  const br = network.branches[index];
  if (br === undefined) throw new FlisrError(`no branch with index ${index} (the case has ${network.branches.length})`);
  return { index, from: network.buses[br.from]?.id ?? br.from, to: network.buses[br.to]?.id ?? br.to };
}

/** `from–to` by case bus numbers, for messages and tables. */
export function branchName(network: PowerNetwork, index: number): string {
  const { from, to } = branchLabel(network, index);
  return `${from}–${to}`;
}

/**
 * Resolves a branch reference to its index. `what` names the role in error messages
 * (e.g. "fault", "sectionaliser"). Parallel branches between the same buses must be given by index.
 */
export function resolveBranch(network: PowerNetwork, ref: BranchRef, what: string): number {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= network.branches.length) {
      throw new FlisrError(`${what} ${ref}: no branch with that index`, {
        details: [`branch indices run from 0 to ${network.branches.length - 1}`],
      });
    }
    return ref;
  }
  const match = PAIR.exec(ref);
  if (match === null) throw new FlisrError(`${what} "${ref}": expected FROM-TO by case bus numbers (e.g. 6-7)`);
  const a = Number(match[1]);
  const b = Number(match[2]);
  const found: number[] = [];
  network.branches.forEach((br, k) => {
    const from = network.buses[br.from]?.id;
    const to = network.buses[br.to]?.id;
    if ((from === a && to === b) || (from === b && to === a)) found.push(k);
  });
  if (found.length === 0) throw new FlisrError(`${what} ${a}–${b}: no branch between buses ${a} and ${b} in ${network.name}`);
  if (found.length > 1) {
    throw new FlisrError(`${what} ${a}–${b}: ${found.length} parallel branches between buses ${a} and ${b}`, {
      details: [`give the branch by index: ${found.join(', ')}`],
    });
  }
  return found[0] as number;
}
