/**
 * After branches open: every bus left without a source either islands with its microgrid
 * (autonomous mode) or loses its load.
 *
 * A microgrid islands when its first bus (the grid-forming unit) has lost supply. The island is that
 * bus and the microgrid's other de-energised buses it reaches over closed branches between the
 * microgrid's own buses (the microgrid opens its boundary to the dead grid). It forms only if its
 * capacity covers the island's critical load; it then serves critical load in full, essential and
 * normal load as far as its capacity goes (a class that does not fit is shed in equal shares), and
 * keeps serving until the end of the cascade. An island is balanced in active power only: no power
 * flow, losses or reactive power inside it (its grid-forming inverter holds voltage). In baseline
 * mode nothing islands (inverters trip on loss of mains).
 */
import { analyseTopology } from '../powerflow/topology.js';
import { ON_GRID, type CascadeState } from './cascade-state.js';
import { CRITICAL_RANK, type CascadeMode } from './cascade-types.js';
import type { ResolvedMicrogrid } from './cascade-inputs.js';
import { loadOf, planShed } from './shed-by-priority.js';

export function settleSupply(state: CascadeState, mode: CascadeMode, microgrids: readonly ResolvedMicrogrid[]): void {
  const dead = new Set(analyseTopology(state.liveNetwork()).deEnergisedBuses);
  if (mode === 'autonomous') for (const m of microgrids) tryIsland(state, m, dead);
  for (const bus of [...dead].sort((a, b) => a - b)) if (state.status[bus] === ON_GRID) state.lose(bus, false);
}

function tryIsland(state: CascadeState, m: ResolvedMicrogrid, dead: ReadonlySet<number>): void {
  const forming = m.buses[0] as number;
  if (!dead.has(forming) || state.status[forming] !== ON_GRID) return;
  const buses = reachable(state, forming, new Set(m.buses.filter((i) => dead.has(i) && state.status[i] === ON_GRID)));
  const kw = (pu: number): string => `${(pu * state.kwPerPu).toFixed(1)} kW`;
  const critical = loadOf(state, buses, CRITICAL_RANK);
  const capacityPu = m.capacityKw / state.kwPerPu;
  if (critical > capacityPu) {
    state.note(`${m.name} cannot island: critical load ${kw(critical)} exceeds its capacity ${m.capacityKw} kW`);
    return;
  }
  const load = loadOf(state, buses);
  // planShed sheds normal, then essential, then critical: shedding the excess over capacity keeps
  // the highest classes served.
  if (load > capacityPu) state.shed(planShed(state, buses, load - capacityPu));
  for (const bus of buses) state.island(bus);
  state.note(`${m.name} islands with ${buses.length} buses, serving ${kw(Math.min(load, capacityPu))} of ${kw(load)}`);
}

/** The buses of `allowed` connected to `start` over closed branches inside `allowed`. */
function reachable(state: CascadeState, start: number, allowed: ReadonlySet<number>): number[] {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    state.network.branches.forEach((br, k) => {
      if (state.closed[k] !== 1) return;
      const j = br.from === i ? br.to : br.to === i ? br.from : -1;
      if (j < 0 || seen.has(j) || !allowed.has(j)) return;
      seen.add(j);
      stack.push(j);
    });
  }
  return [...seen].sort((a, b) => a - b);
}
