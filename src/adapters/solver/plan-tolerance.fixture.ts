/**
 * How much worse than the heuristic an optimal plan may look, in minor units, through no fault of
 * the solver: the LP keeps 1 Wh per rounded device clear of the import cap and the battery's band,
 * and rounding to whole Wh moves each device by less than 1 Wh a slot (docs/ems.md, "Rounding").
 * Each such Wh is worth at most the largest marginal value of a Wh in the objective.
 */
import { heaterGainKPerWh } from '../../core/control/ems/heater-thermal.js';
import { missedWasherMinorPerKwh } from '../../core/control/ems/plan-penalties.js';
import { planBounds } from '../../core/control/ems/plan-bounds.js';
import type { SitePlanInput } from '../../core/control/ems/site-plan-input.js';

function maxAbs(a: Float64Array, n: number): number {
  let m = 0;
  for (let t = 0; t < n; t++) m = Math.max(m, Math.abs(a[t] as number));
  return m;
}

/** The most one Wh can change the objective, minor units. */
export function maxValuePerWhMinor(input: SitePlanInput): number {
  const p = input.penalties;
  const T = input.horizon;
  let perKwh = Math.max(
    maxAbs(input.buyMinorPerKwh, T), maxAbs(input.sellMinorPerKwh, T), p.unmetEvMinorPerKwh, p.overImportMinorPerKwh,
    missedWasherMinorPerKwh(p), input.peakMinorPerKwh ?? 0, Math.abs(input.storedValueMinorPerKwh ?? 0),
  );
  if (input.battery !== undefined) perKwh += 2 * input.battery.wearMinorPerKwh;
  let comfortPerWh = 0;
  for (const h of input.heaters) {
    for (let t = 0; t < T; t++) comfortPerWh = Math.max(comfortPerWh, (p.comfortMinorPerKelvinSlot * heaterGainKPerWh(h, t, input.slotHours)) / (1 - h.decay));
  }
  return perKwh / 1000 + comfortPerWh;
}

/** Rounded device-slots over the horizon (a battery, each heater, each EV while it is here). */
export function roundedDeviceSlots(input: SitePlanInput): number {
  const bounds = planBounds(input);
  let n = input.battery === undefined ? 0 : input.horizon;
  n += input.heaters.length * input.horizon;
  for (const ev of bounds.evs) n += Math.max(0, ev.lastSlot - ev.firstSlot + 1);
  return n;
}

/** Margin plus rounding, plus HiGHS's relative MIP gap (1e-4) on the heuristic's objective. */
export function planToleranceMinor(input: SitePlanInput, heuristicObjectiveMinor: number): number {
  return 2 * roundedDeviceSlots(input) * maxValuePerWhMinor(input) + 1e-4 * (Math.abs(heuristicObjectiveMinor) + 1) + 1e-6;
}
