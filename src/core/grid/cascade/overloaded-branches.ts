import type { PowerNetwork } from '../network.js';
import type { BranchFlows } from '../powerflow/branch-flows.js';

export interface Overload {
  readonly branch: number;
  readonly loadingPct: number;
}

/**
 * In-service rated branches loaded above `limitPct`, most loaded first (ties by branch index, so
 * the order is deterministic). Unrated branches (rateA 0, loading NaN) never appear.
 */
export function overloadedBranches(network: PowerNetwork, flows: BranchFlows, limitPct: number): Overload[] {
  const out: Overload[] = [];
  network.branches.forEach((br, k) => {
    const loadingPct = flows.loadingPct[k] as number;
    if (br.inService && loadingPct > limitPct) out.push({ branch: k, loadingPct });
  });
  return out.sort((a, b) => b.loadingPct - a.loadingPct || a.branch - b.branch);
}
