/**
 * Topology of a PowerNetwork as the power-flow solvers see it: connected components over the
 * in-service branches, whether each is radial, and a breadth-first spanning tree of each, rooted at
 * its REF bus.
 *
 * ISOLATED buses belong to no component, and a branch that touches one carries no power, so it is
 * left out (it would otherwise join two live buses through a dead one). A component without a REF bus
 * has no source: it is reported as de-energised (`energised: false`). A component with several REF
 * buses is reported as it is; a solver that needs one source per island rejects it.
 */
import type { PowerNetwork } from '../network.js';

export interface TopologyComponent {
  /** Bus indices of the component, ascending. */
  readonly buses: Int32Array;
  /** In-service branch indices inside the component, ascending. */
  readonly branches: Int32Array;
  /** REF buses in the component (bus indices, ascending). */
  readonly refBuses: Int32Array;
  /** Whether the component has a source (at least one REF bus). */
  readonly energised: boolean;
  /** A tree: branches = buses − 1 (no loops, no parallel branches). */
  readonly radial: boolean;
  /** Root of the BFS: the first REF bus, or the lowest bus index in a de-energised component. */
  readonly root: number;
  /** Bus indices in breadth-first order from `root` (`order[0] === root`). */
  readonly order: Int32Array;
  /**
   * Parallel to `order`: the parent bus and the branch that connects `order[k]` to it, −1 for the
   * root. In a meshed component these describe a BFS spanning tree; the other branches close loops.
   */
  readonly parentBus: Int32Array;
  readonly parentBranch: Int32Array;
}

export interface NetworkTopology {
  readonly components: readonly TopologyComponent[];
  /** Per bus: the index of its component, −1 for an ISOLATED bus. */
  readonly componentOf: Int32Array;
  /** Per bus: its parent bus and parent branch in the spanning tree, −1 for roots and ISOLATED buses. */
  readonly parentBusOf: Int32Array;
  readonly parentBranchOf: Int32Array;
  /** Every component is radial. */
  readonly radial: boolean;
  /** Buses of components without a REF bus (ascending); ISOLATED buses are not listed. */
  readonly deEnergisedBuses: Int32Array;
}

/** Adjacency in compressed rows: neighbours of bus i are `adjBus[start[i] .. start[i+1])`. */
interface Adjacency {
  readonly start: Int32Array;
  readonly adjBus: Int32Array;
  readonly adjBranch: Int32Array;
}

/** Whether branch `k` carries power: in service, and neither end ISOLATED. */
export function branchIsLive(network: PowerNetwork, k: number): boolean {
  const br = network.branches[k];
  if (br === undefined || !br.inService) return false;
  return network.buses[br.from]?.type !== 'ISOLATED' && network.buses[br.to]?.type !== 'ISOLATED';
}

function buildAdjacency(network: PowerNetwork): Adjacency {
  const nb = network.buses.length;
  const degree = new Int32Array(nb + 1);
  const live: number[] = [];
  network.branches.forEach((br, k) => {
    if (!branchIsLive(network, k)) return;
    live.push(k);
    degree[br.from + 1] = (degree[br.from + 1] as number) + 1;
    degree[br.to + 1] = (degree[br.to + 1] as number) + 1;
  });
  for (let i = 0; i < nb; i++) degree[i + 1] = (degree[i + 1] as number) + (degree[i] as number);
  const start = degree;
  const fill = start.slice(0, nb);
  const adjBus = new Int32Array(start[nb] as number);
  const adjBranch = new Int32Array(start[nb] as number);
  for (const k of live) {
    const br = network.branches[k] as PowerNetwork['branches'][number];
    for (const [a, b] of [[br.from, br.to], [br.to, br.from]] as const) {
      const slot = fill[a] as number;
      adjBus[slot] = b;
      adjBranch[slot] = k;
      fill[a] = slot + 1;
    }
  }
  return { start, adjBus, adjBranch };
}

export function analyseTopology(network: PowerNetwork): NetworkTopology {
  const nb = network.buses.length;
  const adj = buildAdjacency(network);
  const componentOf = new Int32Array(nb).fill(-1);
  const parentBusOf = new Int32Array(nb).fill(-1);
  const parentBranchOf = new Int32Array(nb).fill(-1);
  const components: TopologyComponent[] = [];
  const visited = new Uint8Array(nb);

  for (let seed = 0; seed < nb; seed++) {
    if (componentOf[seed] !== -1 || network.buses[seed]?.type === 'ISOLATED') continue;
    const buses = collectComponent(adj, seed, components.length, componentOf);
    components.push(describeComponent(network, adj, buses, visited, parentBusOf, parentBranchOf));
  }

  const deEnergised: number[] = [];
  for (const c of components) if (!c.energised) deEnergised.push(...c.buses);
  return {
    components,
    componentOf,
    parentBusOf,
    parentBranchOf,
    radial: components.every((c) => c.radial),
    deEnergisedBuses: Int32Array.from(deEnergised.sort((a, b) => a - b)),
  };
}

/** Marks the component reachable from `seed` and returns its buses, ascending. */
function collectComponent(adj: Adjacency, seed: number, index: number, componentOf: Int32Array): Int32Array {
  const stack = [seed];
  const found: number[] = [];
  componentOf[seed] = index;
  while (stack.length > 0) {
    const i = stack.pop() as number;
    found.push(i);
    for (let s = adj.start[i] as number; s < (adj.start[i + 1] as number); s++) {
      const j = adj.adjBus[s] as number;
      if (componentOf[j] === -1) {
        componentOf[j] = index;
        stack.push(j);
      }
    }
  }
  return Int32Array.from(found).sort();
}

function describeComponent(
  network: PowerNetwork,
  adj: Adjacency,
  buses: Int32Array,
  visited: Uint8Array,
  parentBusOf: Int32Array,
  parentBranchOf: Int32Array,
): TopologyComponent {
  const refBuses = buses.filter((i) => network.buses[i]?.type === 'REF');
  const branchSet = new Set<number>();
  for (const i of buses) {
    for (let s = adj.start[i] as number; s < (adj.start[i + 1] as number); s++) branchSet.add(adj.adjBranch[s] as number);
  }
  const branches = Int32Array.from(branchSet).sort();
  const root = refBuses.length > 0 ? (refBuses[0] as number) : (buses[0] as number);
  const order = new Int32Array(buses.length);
  const parentBus = new Int32Array(buses.length).fill(-1);
  const parentBranch = new Int32Array(buses.length).fill(-1);
  visited[root] = 1;
  order[0] = root;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const i = order[head] as number;
    for (let s = adj.start[i] as number; s < (adj.start[i + 1] as number); s++) {
      const j = adj.adjBus[s] as number;
      if (visited[j] === 1) continue;
      visited[j] = 1;
      order[tail] = j;
      parentBus[tail] = i;
      parentBranch[tail] = adj.adjBranch[s] as number;
      parentBusOf[j] = i;
      parentBranchOf[j] = adj.adjBranch[s] as number;
      tail++;
    }
  }
  return {
    buses,
    branches,
    refBuses,
    energised: refBuses.length > 0,
    radial: branches.length === buses.length - 1,
    root,
    order,
    parentBus,
    parentBranch,
  };
}
