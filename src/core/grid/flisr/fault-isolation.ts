/**
 * Fault location and isolation on a radial feeder. The feeder breaker is the first branch out of
 * the source on the path to the fault; it trips and de-energises everything below it. The faulted
 * section is the smallest part of the feeder bounded by switches that contains the faulted branch:
 * - upstream: the first switch on the path from the faulted branch to the source (the faulted
 *   branch's own sectionaliser if it has one, the breaker at the latest);
 * - downstream: walking down from there, the first switch on each path; below each lies a healthy
 *   section, de-energised until restored.
 * Every switch sits at the end of its branch nearer the source, so the buses between the upstream
 * switch and the downstream switches (the upstream ends of the downstream switches included) form
 * the isolated section.
 */
import type { PowerNetwork } from '../network.js';
import { branchName } from './branch-ref.js';
import { busesBelow, upstreamBus, type FeederTree } from './feeder-tree.js';
import { FlisrError } from './flisr-error.js';
import type { SwitchPlan } from './switch-plan.js';

export interface FaultIsolation {
  readonly faulted: number;
  readonly breaker: number;
  /** The switch that isolates the fault from the source side (may be the breaker). */
  readonly upstreamSwitch: number;
  /** Bus indices de-energised by the breaker trip. */
  readonly trippedBuses: readonly number[];
  /** Bus indices of the isolated (faulted) section; they stay de-energised. */
  readonly isolatedBuses: readonly number[];
  /** Switches opened below the fault, ascending by branch index. */
  readonly downstreamSwitches: readonly number[];
  /** Parallel to `downstreamSwitches`: the healthy section (bus indices) below each. */
  readonly healthySections: readonly (readonly number[])[];
}

export function isolateFault(network: PowerNetwork, plan: SwitchPlan, tree: FeederTree, faulted: number): FaultIsolation {
  checkFaultedBranch(network, tree, faulted);
  const breaker = feederBreaker(network, tree, faulted);
  const sectionalisers = new Set(plan.sectionalisers);
  const isSwitch = (k: number): boolean => k === breaker || sectionalisers.has(k);

  let upstreamSwitch = faulted;
  while (!isSwitch(upstreamSwitch)) upstreamSwitch = parentBranch(network, tree, upstreamSwitch);

  const downstreamSwitches: number[] = [];
  const isolatedBuses = busesBelow(tree, tree.downstreamBus[upstreamSwitch] as number, isSwitch, (k) => downstreamSwitches.push(k));
  downstreamSwitches.sort((a, b) => a - b);
  return {
    faulted,
    breaker,
    upstreamSwitch,
    trippedBuses: busesBelow(tree, tree.downstreamBus[breaker] as number),
    isolatedBuses,
    downstreamSwitches,
    healthySections: downstreamSwitches.map((k) => busesBelow(tree, tree.downstreamBus[k] as number)),
  };
}

function checkFaultedBranch(network: PowerNetwork, tree: FeederTree, k: number): void {
  const br = network.branches[k];
  if (br === undefined) throw new FlisrError(`fault on branch ${k}: no branch with that index`);
  const name = branchName(network, k);
  if (!br.inService) {
    throw new FlisrError(`fault on branch ${name}: the branch is out of service (a normally open tie?) and carries no current`);
  }
  if ((tree.downstreamBus[k] as number) < 0) {
    throw new FlisrError(`fault on branch ${name}: the branch is not fed from any source`);
  }
  const component = tree.topology.components[tree.topology.componentOf[br.from] as number];
  if (component?.radial !== true) {
    throw new FlisrError(`fault on branch ${name}: the feeder is meshed in its normal configuration`, {
      details: ['FLISR needs radial feeders: open the tie lines (branch status 0)'],
    });
  }
}

/** The branch feeding the upstream end of branch `k` (−1 at the source). */
function parentBranch(network: PowerNetwork, tree: FeederTree, k: number): number {
  return tree.topology.parentBranchOf[upstreamBus(network, tree, k)] as number;
}

/** The first branch out of the source on the path to branch `k`. */
function feederBreaker(network: PowerNetwork, tree: FeederTree, k: number): number {
  let branch = k;
  for (let up = parentBranch(network, tree, branch); up >= 0; up = parentBranch(network, tree, branch)) branch = up;
  return branch;
}
