/**
 * The decisions of a plan before the flows at the meter are worked out: whole Wh per slot for each
 * device, and each washer's start. The LP's solution (rounded) and the heuristic both produce one;
 * `assemblePlan` turns it into a `SitePlan`.
 */
import { washerWhAt } from './plan-bounds.js';
import type { SitePlanInput } from './site-plan-input.js';

export interface DeviceSchedule {
  readonly chargeWh: Float64Array;
  readonly dischargeWh: Float64Array;
  readonly evWh: Float64Array[];
  readonly heaterWh: Float64Array[];
  /** −1 = not inside the horizon. */
  readonly washerStartOffset: number[];
}

export function emptySchedule(input: SitePlanInput): DeviceSchedule {
  const T = input.horizon;
  return {
    chargeWh: new Float64Array(T),
    dischargeWh: new Float64Array(T),
    evWh: input.evs.map(() => new Float64Array(T)),
    heaterWh: input.heaters.map(() => new Float64Array(T)),
    washerStartOffset: input.washers.map(() => -1),
  };
}

/** All washers' energy per slot, Wh. */
export function washerLoadWh(input: SitePlanInput, starts: readonly number[]): Float64Array {
  const out = new Float64Array(input.horizon);
  input.washers.forEach((w, j) => {
    const s = starts[j] ?? -1;
    if (s < 0) return;
    for (let t = s; t < input.horizon && t - s < w.cycleWh.length; t++) out[t] = (out[t] as number) + washerWhAt(w, s, t);
  });
  return out;
}

/** Consumption of the flexible loads (EVs, heaters, washers) in slot t, Wh. */
export function flexibleLoadWh(schedule: DeviceSchedule, washersWh: Float64Array, t: number): number {
  let wh = washersWh[t] as number;
  for (const ev of schedule.evWh) wh += ev[t] as number;
  for (const h of schedule.heaterWh) wh += h[t] as number;
  return wh;
}

/** Stored energy at the end of a slot (bus-side charge and discharge; the formula checkPlan uses). */
export function storedAfterWh(startWh: number, chargeWh: number, dischargeWh: number, chargeEfficiency: number, dischargeEfficiency: number): number {
  return startWh + chargeEfficiency * chargeWh - dischargeWh / dischargeEfficiency;
}
