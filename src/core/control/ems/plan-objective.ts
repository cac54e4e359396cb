/**
 * The one objective every plan is judged by, LP or heuristic, in minor units: what the LP minimises,
 * evaluated on a finished plan. Energy at the meter, battery wear, the peak-import charge, the
 * prices of the soft constraints (EV energy unmet inside the horizon, kelvin·slots outside the
 * comfort band, import beyond the allowance), washer energy outside the horizon (at the horizon's
 * mean buy price, or the missed-deadline penalty), less the value of energy left in the battery.
 */
import { energyCostMinor } from './plan-assembly.js';
import { comfortViolationKelvinSlots, indoorTrajectoryC } from './heater-thermal.js';
import { planBounds, type PlanBounds } from './plan-bounds.js';
import type { SitePlanInput } from './site-plan-input.js';
import type { SitePlan } from './site-plan.js';

const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  return s;
};

function softCostsMinor(input: SitePlanInput, bounds: PlanBounds, plan: SitePlan): number {
  const p = input.penalties;
  let cost = 0;
  bounds.evs.forEach((ev, i) => {
    cost += (Math.max(0, ev.needInsideWh - sum(plan.evWh[i] ?? [])) * p.unmetEvMinorPerKwh) / 1000;
  });
  input.heaters.forEach((h, i) => {
    const temps = indoorTrajectoryC(h, plan.heaterWh[i] ?? new Float64Array(input.horizon), input.horizon, input.slotHours);
    cost += comfortViolationKelvinSlots(h, temps) * p.comfortMinorPerKelvinSlot;
  });
  const overWh = Math.max(0, sum(plan.importWh) - input.importAllowanceWh);
  cost += (overWh * p.overImportMinorPerKwh) / 1000;
  bounds.washers.forEach((wb, j) => {
    const s = plan.washerStartOffset[j] ?? -1;
    cost += s < 0 ? wb.outsideCostMinor : (wb.tailCostMinor[s - wb.firstStart] ?? 0);
  });
  return cost;
}

export function planObjective(input: SitePlanInput, plan: SitePlan): number {
  const bounds = planBounds(input);
  let cost = energyCostMinor(input, plan.importWh, plan.exportWh) + softCostsMinor(input, bounds, plan);
  const b = input.battery;
  if (b !== undefined) {
    cost += (b.wearMinorPerKwh * (sum(plan.chargeWh) + sum(plan.dischargeWh))) / 1000;
    cost -= ((input.storedValueMinorPerKwh ?? 0) * (plan.storedWh[input.horizon - 1] ?? b.storedWh)) / 1000;
  }
  const peak = input.peakMinorPerKwh ?? 0;
  if (peak > 0) cost += (peak * Math.max(0, ...plan.importWh)) / 1000;
  return cost;
}
