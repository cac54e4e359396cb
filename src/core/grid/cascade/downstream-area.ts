/**
 * The area downstream of a branch, and how much of each bus's supply passes through it, by
 * proportional sharing (flow tracing, Bialek 1996): a bus mixes the active power arriving over its
 * branches and passes the same mix on to its load and its outgoing branches. The share of the
 * branch's receiving bus is the branch's arrival over the bus's total inflow; further downstream, a
 * bus's share is the inflow-weighted share of the buses that feed it. Shedding x MW at a bus of share
 * s relieves the branch by about s·x MW (losses and reactive power aside; the caller measures the
 * real relief and corrects).
 *
 * The walk follows live branches in the direction their active power flows. Active power cannot
 * circulate round a loop of loads (every branch loses some), so the flow graph has no cycles there;
 * buses on a cycle (possible only with generation inside) are left with the share reached so far.
 */
import type { PowerNetwork } from '../network.js';
import type { BranchFlows } from '../powerflow/branch-flows.js';

/** Per downstream bus (index), its share (0 … 1] of supply through `branch`, buses ascending. */
export function downstreamShares(network: PowerNetwork, flows: BranchFlows, branch: number): Map<number, number> {
  const br = network.branches[branch];
  const shares = new Map<number, number>();
  if (br === undefined || !br.inService) return shares;
  const arcs = flowArcs(network, flows);
  const inflow = new Float64Array(network.buses.length);
  for (const a of arcs) inflow[a.to] = (inflow[a.to] as number) + a.pPu;
  const start = arcs.find((a) => a.branch === branch);
  if (start === undefined) return shares;
  const out = groupBy(arcs, (a) => a.from, network.buses.length);
  const share = new Float64Array(network.buses.length);
  for (const i of topologicalOrder(out, start.to)) {
    const own = i === start.to ? start.pPu : 0;
    share[i] = ((share[i] as number) + own) / (inflow[i] as number);
    for (const a of out[i] ?? []) share[a.to] = (share[a.to] as number) + (share[i] as number) * a.pPu;
  }
  for (let i = 0; i < share.length; i++) if ((share[i] as number) > 1e-9) shares.set(i, Math.min(1, share[i] as number));
  return shares;
}

interface Arc {
  readonly branch: number;
  readonly from: number;
  readonly to: number;
  /** Active power arriving at `to`, pu (> 0). */
  readonly pPu: number;
}

/** Each live branch as an arc in the direction of its active power, with the power it delivers. */
function flowArcs(network: PowerNetwork, flows: BranchFlows): Arc[] {
  const arcs: Arc[] = [];
  network.branches.forEach((br, k) => {
    if (!br.inService) return;
    const pf = flows.pFromPu[k] as number;
    const pt = flows.pToPu[k] as number;
    if (pf > 0 && -pt > 0) arcs.push({ branch: k, from: br.from, to: br.to, pPu: -pt });
    else if (pt > 0 && -pf > 0) arcs.push({ branch: k, from: br.to, to: br.from, pPu: -pf });
  });
  return arcs;
}

function groupBy(arcs: readonly Arc[], key: (a: Arc) => number, n: number): Arc[][] {
  const out: Arc[][] = Array.from({ length: n }, () => []);
  for (const a of arcs) out[key(a)]?.push(a);
  return out;
}

/** Buses reachable from `start` along arcs, each after every reachable bus that feeds it (Kahn). */
function topologicalOrder(out: readonly Arc[][], start: number): number[] {
  const reach = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const a of out[stack.pop() as number] ?? []) {
      if (reach.has(a.to)) continue;
      reach.add(a.to);
      stack.push(a.to);
    }
  }
  const indegree = new Map<number, number>([...reach].map((i) => [i, 0]));
  for (const i of reach) for (const a of out[i] ?? []) indegree.set(a.to, (indegree.get(a.to) ?? 0) + 1);
  const ready = [...reach].filter((i) => indegree.get(i) === 0).sort((a, b) => a - b);
  const order: number[] = [];
  while (ready.length > 0) {
    const i = ready.shift() as number;
    order.push(i);
    for (const a of out[i] ?? []) {
      const d = (indegree.get(a.to) as number) - 1;
      indegree.set(a.to, d);
      if (d === 0) ready.push(a.to);
    }
  }
  return order;
}
