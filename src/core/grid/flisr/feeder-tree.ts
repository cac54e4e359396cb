/**
 * The normal configuration seen from the sources: for each energised in-service branch, which end
 * is downstream (farther from the source), and the child branches of each bus. Built on the
 * breadth-first spanning trees of `analyseTopology`; only meaningful for radial components.
 */
import type { PowerNetwork } from '../network.js';
import { analyseTopology, type NetworkTopology } from '../powerflow/topology.js';

export interface FeederTree {
  readonly topology: NetworkTopology;
  /** Per branch: its bus index farther from the source, −1 when the branch is not in an energised tree. */
  readonly downstreamBus: Int32Array;
  /** Per bus: the branches to its children (ascending). */
  readonly childBranches: readonly (readonly number[])[];
}

export function feederTree(network: PowerNetwork): FeederTree {
  const topology = analyseTopology(network);
  const downstreamBus = new Int32Array(network.branches.length).fill(-1);
  const childBranches: number[][] = network.buses.map(() => []);
  for (const component of topology.components) {
    if (!component.energised) continue;
    for (let k = 1; k < component.order.length; k++) {
      const bus = component.order[k] as number;
      const branch = component.parentBranch[k] as number;
      downstreamBus[branch] = bus;
      childBranches[component.parentBus[k] as number]?.push(branch);
    }
  }
  for (const list of childBranches) list.sort((a, b) => a - b);
  return { topology, downstreamBus, childBranches };
}

/** The end of energised branch `k` nearer the source. */
export function upstreamBus(network: PowerNetwork, tree: FeederTree, k: number): number {
  const br = network.branches[k];
  const down = tree.downstreamBus[k];
  if (br === undefined || down === undefined || down < 0) return -1;
  return br.from === down ? br.to : br.from;
}

/**
 * Buses at and below `bus` (depth first, `bus` first), not descending through branches for which
 * `stop` is true; those branches are passed to `onStop`.
 */
export function busesBelow(
  tree: FeederTree,
  bus: number,
  stop: (branch: number) => boolean = () => false,
  onStop: (branch: number) => void = () => {},
): number[] {
  const found: number[] = [];
  const stack = [bus];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    found.push(i);
    const children = tree.childBranches[i] ?? [];
    for (let c = children.length - 1; c >= 0; c--) {
      const k = children[c] as number;
      if (stop(k)) onStop(k);
      else stack.push(tree.downstreamBus[k] as number);
    }
  }
  return found;
}
