/**
 * When to start a washing cycle: the start with the lowest forecast cost over the slots the cycle
 * would run, among the starts that still finish by the job's deadline. The cost weighs each slot's
 * price by the energy the cycle draws in it (full slots, then a shorter last one), so it is the sum of
 * the slots' prices when the cycle is a whole number of slots. Ties go to the earliest start.
 */
import type { Wh } from '../../units.js';
import type { PriceHorizon } from './price-horizon.js';

/** How a cycle still to run spreads over slots when fully delivered. */
export interface CycleShape {
  /** Slots it needs. */
  readonly slots: number;
  /** Energy in every slot but the last, Wh. */
  readonly slotWh: Wh;
  /** Energy in the last slot, Wh (0 < lastWh <= slotWh). */
  readonly lastWh: Wh;
}

export function cycleShape(remainingWh: Wh, slotWh: Wh): CycleShape {
  const slots = Math.max(1, Math.ceil(remainingWh / slotWh));
  return { slots, slotWh, lastWh: remainingWh - (slots - 1) * slotWh };
}

/**
 * The latest start (slots after the slot being planned, which starts at `nowMs`) from which a cycle of
 * `slots` slots ends by `deadlineMs`; negative when even starting now is too late.
 */
export function latestStartOffset(nowMs: number, slotMs: number, deadlineMs: number, slots: number): number {
  return Math.floor((deadlineMs - nowMs) / slotMs) - slots;
}

/** Relative tolerance under which two window costs count as equal (float sums of the same prices). */
const TIE_TOLERANCE = 1e-9;

/**
 * Offset of the cheapest start in 0..latestStart whose every slot has a forecast, or -1 when there
 * is none (no forecast, or the deadline cannot be met).
 */
export function cheapestStart(horizon: PriceHorizon, cycle: CycleShape, latestStart: number): number {
  const last = Math.min(latestStart, horizon.length - cycle.slots);
  const lastShare = cycle.lastWh / cycle.slotWh;
  let best = -1;
  let bestCost = Infinity;
  for (let j = 0; j <= last; j++) {
    const end = j + cycle.slots;
    if (!horizon.known(j, end)) continue;
    const cost = windowCost(horizon, j, end, lastShare);
    if (best === -1 || cost < bestCost - TIE_TOLERANCE * Math.max(1, Math.abs(bestCost))) {
      best = j;
      bestCost = cost;
    }
  }
  return best;
}

/** Forecast cost of running slots j..end-1, in price × full-slot units. */
export function windowCost(horizon: PriceHorizon, j: number, end: number, lastShare: number): number {
  return horizon.sum(j, end - 1) + lastShare * horizon.priceAt(end - 1);
}
