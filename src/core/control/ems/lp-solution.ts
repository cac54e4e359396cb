/**
 * Reads a solver's values back into a whole-Wh device schedule (docs/ems.md, "Rounding"): the
 * battery follows the LP's stored energy, EVs and heaters are rounded along their running total
 * (round-cumulative.ts), each washer takes
 * the start whose binary is 1, then `fitScheduleToLimits` nets the battery and repairs what rounding
 * nudged. Import, export and curtailment are not read: they follow from the balance.
 *
 * A missing or non-finite value, or a washer without exactly one chosen option, is a bad solution:
 * the caller falls back to the heuristic rather than guess.
 */
import { emptySchedule, storedAfterWh, type DeviceSchedule } from './device-schedule.js';
import { fitScheduleToLimits } from './fit-schedule.js';
import type { PlanBounds } from './plan-bounds.js';
import { roundCumulativeWh } from './round-cumulative.js';
import { lpNames } from './site-lp.js';
import type { SitePlanInput } from './site-plan-input.js';

class BadSolution extends Error {}

function reader(values: ReadonlyMap<string, number>): (name: string) => number {
  return (name) => {
    const x = values.get(name);
    if (x === undefined || !Number.isFinite(x)) throw new BadSolution(`no finite value for ${name} (got ${x})`);
    return x;
  };
}

function series(horizon: number, from: number, to: number, valueAt: (t: number) => number): Float64Array {
  const out = new Float64Array(horizon);
  for (let t = from; t <= to; t++) out[t] = valueAt(t);
  return out;
}

function washerStart(value: (name: string) => number, bounds: PlanBounds, j: number): number {
  const wb = bounds.washers[j];
  if (wb === undefined || wb.lastStart < wb.firstStart) return -1;
  const chosen: number[] = [];
  for (let s = wb.firstStart; s <= wb.lastStart; s++) if (value(lpNames.washerStart(j, s)) > 0.5) chosen.push(s);
  if (value(lpNames.washerOutside(j)) > 0.5) chosen.push(-1);
  if (chosen.length !== 1) throw new BadSolution(`washer ${j}: ${chosen.length} options chosen, expected 1`);
  return chosen[0] as number;
}

/**
 * The battery follows the LP's stored energy rather than its flows: each slot charges or discharges
 * the whole Wh that bring the rounded state nearest to the LP's state at its end. The states then
 * never drift apart by more than about half a Wh, and a slot that charges and discharges at once in
 * the LP becomes one net setpoint.
 */
function readBattery(input: SitePlanInput, bounds: PlanBounds, value: (name: string) => number, s: DeviceSchedule): void {
  const b = input.battery;
  const bb = bounds.battery;
  if (b === undefined || bb === undefined) return;
  let stored = b.storedWh;
  for (let t = 0; t < input.horizon; t++) {
    const deltaWh = value(lpNames.stored(t)) - stored;
    if (deltaWh > 0) s.chargeWh[t] = Math.max(0, Math.min(bb.maxChargeWh, Math.round(deltaWh / b.chargeEfficiency)));
    else s.dischargeWh[t] = Math.max(0, Math.min(bb.maxDischargeWh, Math.round(-deltaWh * b.dischargeEfficiency)));
    stored = storedAfterWh(stored, s.chargeWh[t] as number, s.dischargeWh[t] as number, b.chargeEfficiency, b.dischargeEfficiency);
  }
}

function readSchedule(input: SitePlanInput, bounds: PlanBounds, value: (name: string) => number): DeviceSchedule {
  const T = input.horizon;
  const s = emptySchedule(input);
  readBattery(input, bounds, value, s);
  bounds.evs.forEach((ev, i) => {
    if (ev.lastSlot < ev.firstSlot || ev.maxWh === 0) return;
    const lp = series(T, ev.firstSlot, ev.lastSlot, (t) => value(lpNames.ev(i, t)));
    const inWindow = (t: number): number => (t >= ev.firstSlot && t <= ev.lastSlot ? ev.maxWh : 0);
    s.evWh[i]?.set(roundCumulativeWh(lp, inWindow, ev.totalMaxWh));
  });
  bounds.heaterMaxWh.forEach((maxWh, i) => {
    s.heaterWh[i]?.set(roundCumulativeWh(series(T, 0, T - 1, (t) => value(lpNames.heater(i, t))), () => maxWh));
  });
  input.washers.forEach((_, j) => {
    s.washerStartOffset[j] = washerStart(value, bounds, j);
  });
  return s;
}

/** The whole-Wh schedule of a solution, or why it cannot be used ('bad-solution: …'). */
export function scheduleFromLpValues(input: SitePlanInput, bounds: PlanBounds, values: ReadonlyMap<string, number>): DeviceSchedule | string {
  try {
    return fitScheduleToLimits(input, bounds, readSchedule(input, bounds, reader(values)));
  } catch (e) {
    if (e instanceof BadSolution) return `bad-solution: ${e.message}`;
    throw e;
  }
}
