/**
 * Power flow on the live grid during a cascade, with voltage collapse as an outcome rather than an
 * error. Newton-Raphson is used throughout (meshed networks, several islands, any number of
 * sources). When the solve has no solution (no convergence, or a singular Jacobian: past the nose
 * of the PV curve), each energised island is solved alone to find the ones that collapse:
 *  - baseline: a collapsed island is lost (its protection trips on undervoltage): all its load is
 *    lost and the round says so;
 *  - autonomous: its controllers shed load by priority, the least amount (found by bisection, to
 *    1/2^12 of the island's load) with which the island solves again.
 */
import { assert } from '../../assert.js';
import { GridmeshError } from '../../errors.js';
import type { PowerNetwork } from '../network.js';
import { branchFlows, type BranchFlows } from '../powerflow/branch-flows.js';
import { solveNewton } from '../powerflow/newton.js';
import { SingularMatrixError } from '../powerflow/sparse-lu.js';
import { analyseTopology } from '../powerflow/topology.js';
import { ON_GRID, type CascadeState, type ShedPlan } from './cascade-state.js';
import { loadOf, planShed, sheddableBuses } from './shed-by-priority.js';
import type { CascadeMode } from './cascade-types.js';

const BISECTION_STEPS = 12;

/** Flows of a converged Newton solve, or null when the network has no power-flow solution. */
export function trySolve(network: PowerNetwork): BranchFlows | null {
  try {
    const solution = solveNewton(network);
    return solution.converged ? branchFlows(network, solution) : null;
  } catch (error) {
    if (error instanceof GridmeshError && error.cause instanceof SingularMatrixError) return null;
    throw error;
  }
}

/** Solves the live grid, first dealing with any island whose power flow collapses (see above). */
export function solveLiveGrid(state: CascadeState, mode: CascadeMode): { network: PowerNetwork; flows: BranchFlows } {
  for (let attempt = 0; attempt <= state.network.buses.length; attempt++) {
    const network = state.liveNetwork();
    const flows = trySolve(network);
    if (flows !== null) return { network, flows };
    for (const island of collapsedIslands(network)) {
      if (mode === 'autonomous' && holdIsland(state, island)) continue;
      const ids = island.map((i) => state.network.buses[i]?.id);
      state.note(`voltage collapse: no power-flow solution for the island of ${island.length} buses (${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''}); its load is lost`);
      for (const bus of island) if (state.status[bus] === ON_GRID) state.lose(bus, true);
    }
  }
  assert(false, 'cascade: the live grid still has no power-flow solution after every island was handled');
}

/** Bus lists of the energised islands that have no solution on their own. */
function collapsedIslands(network: PowerNetwork): number[][] {
  const energised = analyseTopology(network).components.filter((c) => c.energised).map((c) => Array.from(c.buses));
  if (energised.length <= 1) return energised;
  const failing = energised.filter((buses) => trySolve(onlyIsland(network, buses)) === null);
  // Islands are independent in the solve, so one of them fails; if none does alone, drop them all.
  return failing.length > 0 ? failing : energised;
}

function onlyIsland(network: PowerNetwork, buses: readonly number[]): PowerNetwork {
  const keep = new Set(buses);
  return {
    ...network,
    buses: network.buses.map((b, i) => (keep.has(i) ? b : { ...b, type: 'ISOLATED' as const })),
    branches: network.branches.map((br) => (keep.has(br.from) && keep.has(br.to) ? br : { ...br, inService: false })),
  };
}

/** Sheds the least load (by priority) with which the island solves; false if nothing helps. */
function holdIsland(state: CascadeState, island: readonly number[]): boolean {
  const buses = sheddableBuses(state, island);
  const total = loadOf(state, buses);
  const solves = (plan: ShedPlan): boolean => trySolve(onlyIsland(state.liveNetwork(plan), island)) !== null;
  if (total <= 0 || !solves(planShed(state, buses, total))) return false;
  let lo = 0;
  let hi = total;
  for (let step = 0; step < BISECTION_STEPS; step++) {
    const mid = (lo + hi) / 2;
    if (solves(planShed(state, buses, mid))) hi = mid;
    else lo = mid;
  }
  state.shed(planShed(state, buses, hi));
  state.note(`voltage collapse averted: shed ${(hi * state.kwPerPu).toFixed(1)} kW by priority in an island of ${island.length} buses`);
  return true;
}
