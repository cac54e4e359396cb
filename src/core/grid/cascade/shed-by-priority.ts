/**
 * Load shedding by priority: 'normal' loads go first, then 'essential', then 'critical'. A bus
 * stands for many customers, so part of a bus's load can be shed.
 *
 * Two ways to spread an amount within the class where it runs out:
 *  - equal shares (`planShed`): every bus of the class gives up the same fraction — where any load
 *    helps as much as any other (an island short of capacity or collapsing);
 *  - pro rata to contribution (`planTargetedShed`): to relieve a branch, each bus gives up a
 *    fraction proportional to its share of supply through the branch.
 */
import type { CascadeState, ShedPlan } from './cascade-state.js';
import { ON_GRID } from './cascade-state.js';
import { SHED_ORDER } from './cascade-types.js';

const BISECTION_STEPS = 50;

/** Buses (ascending) in this status that draw active power, i.e. have load to shed. */
export function sheddableBuses(state: CascadeState, buses: Iterable<number>, status = ON_GRID): number[] {
  const out: number[] = [];
  for (const i of buses) if (state.status[i] === status && (state.pdPu[i] as number) > 0) out.push(i);
  return out.sort((a, b) => a - b);
}

/** Served active load (pu) of these buses, of one shed rank or all. */
export function loadOf(state: CascadeState, buses: readonly number[], rank?: number): number {
  let sum = 0;
  for (const i of buses) if (rank === undefined || state.shedRank[i] === rank) sum += Math.max(0, state.pdPu[i] as number);
  return sum;
}

/** Sheds `amountPu` of active load (capped at what the buses draw) by priority, equal shares within a class. */
export function planShed(state: CascadeState, buses: readonly number[], amountPu: number): ShedPlan {
  const plan: { bus: number; fraction: number }[] = [];
  let left = amountPu;
  for (let rank = 0; rank < SHED_ORDER.length && left > 0; rank++) {
    const cls = buses.filter((i) => state.shedRank[i] === rank && (state.pdPu[i] as number) > 0);
    const load = loadOf(state, cls);
    if (load <= 0) continue;
    const fraction = Math.min(1, left / load);
    for (const bus of cls) plan.push({ bus, fraction });
    left -= load * fraction;
  }
  return plan;
}

/**
 * Sheds by priority until the traced relief Σ share·|S_shed| reaches `reliefPu` (apparent power),
 * or until everything is shed. Within the class where the relief is reached, each bus sheds a
 * fraction of its load proportional to its share of supply through the branch (min(1, α·share),
 * α found by bisection): those that load the branch most give up most, and a uniform overload
 * (every share 1) is shed uniformly, which keeps the flow pattern of a meshed grid. `shares` maps
 * bus → share (0 … 1].
 */
export function planTargetedShed(state: CascadeState, shares: ReadonlyMap<number, number>, reliefPu: number): ShedPlan {
  const plan: { bus: number; fraction: number }[] = [];
  const buses = sheddableBuses(state, shares.keys());
  const share = (i: number): number => shares.get(i) ?? 0;
  let left = reliefPu;
  for (let rank = 0; rank < SHED_ORDER.length && left > 0; rank++) {
    const cls = buses.filter((i) => state.shedRank[i] === rank && share(i) > 0);
    if (cls.length === 0) continue;
    const relief = (alpha: number): number => cls.reduce((sum, i) => sum + tracedRelief(state, i, Math.min(1, alpha * share(i)), share(i)), 0);
    let hi = 1 / Math.min(...cls.map(share));
    const full = relief(hi);
    if (full > left) {
      let lo = 0;
      for (let step = 0; step < BISECTION_STEPS; step++) {
        const mid = (lo + hi) / 2;
        if (relief(mid) >= left) hi = mid;
        else lo = mid;
      }
    }
    for (const bus of cls) plan.push({ bus, fraction: Math.min(1, hi * share(bus)) });
    left -= Math.min(full, relief(hi));
  }
  return plan;
}

/** Apparent power (pu) that shedding `fraction` of a bus's load takes off a branch carrying `share` of its supply. */
export function tracedRelief(state: CascadeState, bus: number, fraction: number, share: number): number {
  return Math.hypot(state.pdPu[bus] as number, state.qdPu[bus] as number) * fraction * share;
}
