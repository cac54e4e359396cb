/**
 * The autonomous controllers' decision when branches are overloaded: shed load to relieve them, or
 * let protection trip them. Shedding is not always the better choice — in a meshed grid a
 * redundant branch can trip at no cost to anyone, while keeping it loaded may mean cutting many
 * customers. So the controllers run both on copies of the grid (they own a digital twin of it):
 *  - relieve: shed by priority until no branch is overloaded (relieve-overloads.ts); if some
 *    overload cannot be relieved, its cost includes the cascade that follows from it;
 *  - let trip: the rest of the cascade with no shedding for overloads (microgrids still island,
 *    collapsing islands still shed to survive), to its end;
 * and keep the one that affects less load, compared by priority class: less critical load first,
 * then less essential, then less normal (a tie goes to letting trip: no customer is cut on a guess).
 * Only the chosen branch of this round is kept; the next round decides again.
 */
import type { PowerNetwork } from '../network.js';
import type { BranchFlows } from '../powerflow/branch-flows.js';
import type { CascadeState } from './cascade-state.js';
import { overloadedBranches } from './overloaded-branches.js';
import { relieveOverloads } from './relieve-overloads.js';

export type Solved = { network: PowerNetwork; flows: BranchFlows };

const TOLERANCE_PU = 1e-9;

/**
 * Applies the cheaper response to `state`; returns the solved grid to trip on. `letCascade` runs a
 * copy of the grid through the rest of the cascade without shedding for overloads.
 */
export function chooseResponse(state: CascadeState, limitPct: number, solved: Solved, letCascade: (copy: CascadeState) => void): Solved {
  const before = state.impactByRank();
  const relieved = state.clone();
  const relievedGrid = relieveOverloads(relieved, limitPct, solved);
  const relievedEnd = relieved.clone();
  if (overloadedBranches(relievedGrid.network, relievedGrid.flows, limitPct).length > 0) letCascade(relievedEnd);
  const passive = state.clone();
  letCascade(passive);
  const shedCost = difference(relievedEnd.impactByRank(), before);
  const cascadeCost = difference(passive.impactByRank(), before);
  if (cheaper(shedCost, cascadeCost)) {
    state.adopt(relieved);
    return relievedGrid;
  }
  const kw = (v: Float64Array): string => `${(v.reduce((a, b) => a + b, 0) * state.kwPerPu).toFixed(1)} kW`;
  state.note(cascadeCost.every((v) => v <= TOLERANCE_PU)
    ? 'controllers let the overloaded branches trip: no customer loses supply'
    : `controllers let the overloaded branches trip: shedding would cost ${kw(shedCost)}, the cascade without shedding ${kw(cascadeCost)}`);
  return solved;
}

function difference(after: Float64Array, before: Float64Array): Float64Array {
  return after.map((v, r) => v - (before[r] as number));
}

/** Lexicographic from the highest class (critical, index 2) down. */
function cheaper(a: Float64Array, b: Float64Array): boolean {
  for (let r = a.length - 1; r >= 0; r--) {
    const d = (a[r] as number) - (b[r] as number);
    if (d < -TOLERANCE_PU) return true;
    if (d > TOLERANCE_PU) return false;
  }
  return false;
}
