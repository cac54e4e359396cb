/**
 * The rule-based plan the EMS falls back to when the solver is missing, slow or wrong. It keeps every
 * hard constraint by construction: flexible loads only take the headroom a slot has under its import
 * cap (cap + generation − what is already placed), so the import never exceeds the cap, and the
 * battery only moves inside its band. Soft goals (comfort, EV need, deadlines) are pursued, not
 * promised. In order:
 *
 * 1. Washers start at their cheapest start that fits under the caps (energy at the buy price, the
 *    part after the horizon at the mean price), unless not starting in the horizon is cheaper
 *    (as the objective prices it).
 * 2. Heaters aim at the middle of the comfort band each slot (a thermostat that heats as much as
 *    that takes), within rated power and headroom.
 * 3. EVs fill the slots of their window from the cheapest (a slot with spare generation is priced
 *    at the sell price: that is what charging from it gives up; ties go to the earlier slot) until
 *    the need inside the horizon is met.
 * 4. The battery charges from spare generation and discharges to cover import in slots priced above
 *    the horizon's median buy price.
 * 5. The rest is imported or exported (plan-assembly.ts).
 */
import { emptySchedule, storedAfterWh, type DeviceSchedule } from './device-schedule.js';
import { fitScheduleToLimits } from './fit-schedule.js';
import { heaterWhToReach, indoorAfterC } from './heater-thermal.js';
import { assemblePlan } from './plan-assembly.js';
import { planBounds, type PlanBounds } from './plan-bounds.js';
import { checkSitePlanInput } from './site-plan-input-check.js';
import type { SitePlanInput } from './site-plan-input.js';
import type { SitePlan } from './site-plan.js';

/** What is placed so far per slot and what is left under the cap. */
class SlotLedger {
  readonly usedWh: Float64Array;
  constructor(private readonly input: SitePlanInput, private readonly bounds: PlanBounds) {
    this.usedWh = Float64Array.from(input.baseLoadWh.subarray(0, input.horizon));
  }
  /** Whole Wh that may still be consumed in slot t without importing above its cap. */
  headroomWh(t: number): number {
    const room = (this.bounds.importCapWh[t] as number) + (this.input.generationWh[t] as number) - (this.usedWh[t] as number);
    return Math.max(0, Math.floor(room));
  }
  add(t: number, wh: number): void {
    this.usedWh[t] = (this.usedWh[t] as number) + wh;
  }
  spareGenerationWh(t: number): number {
    return (this.input.generationWh[t] as number) - (this.usedWh[t] as number);
  }
}

function placeWashers(input: SitePlanInput, bounds: PlanBounds, ledger: SlotLedger, schedule: DeviceSchedule): void {
  bounds.washers.forEach((wb, j) => {
    const cycle = input.washers[j]?.cycleWh ?? [];
    let best = -1;
    let bestCost = wb.outsideCostMinor;
    for (let s = wb.firstStart; s <= wb.lastStart; s++) {
      let cost = wb.tailCostMinor[s - wb.firstStart] as number;
      let fits = true;
      for (let k = 0; k < cycle.length && s + k < input.horizon; k++) {
        const wh = cycle[k] as number;
        if (wh > ledger.headroomWh(s + k)) fits = false;
        cost += ((input.buyMinorPerKwh[s + k] as number) * wh) / 1000;
      }
      if (fits && cost < bestCost) {
        best = s;
        bestCost = cost;
      }
    }
    schedule.washerStartOffset[j] = best;
    if (best >= 0) for (let k = 0; k < cycle.length && best + k < input.horizon; k++) ledger.add(best + k, cycle[k] as number);
  });
}

function placeHeaters(input: SitePlanInput, bounds: PlanBounds, ledger: SlotLedger, schedule: DeviceSchedule): void {
  input.heaters.forEach((h, i) => {
    const out = schedule.heaterWh[i] as Float64Array;
    const middleC = (h.comfortMinC + h.comfortMaxC) / 2;
    let c = h.indoorC;
    for (let t = 0; t < input.horizon; t++) {
      const wanted = Math.ceil(heaterWhToReach(h, t, c, middleC, input.slotHours));
      const e = Math.max(0, Math.min(wanted, bounds.heaterMaxWh[i] ?? 0, ledger.headroomWh(t)));
      out[t] = e;
      ledger.add(t, e);
      c = indoorAfterC(h, t, c, e, input.slotHours);
    }
  });
}

function placeEvs(input: SitePlanInput, bounds: PlanBounds, ledger: SlotLedger, schedule: DeviceSchedule): void {
  bounds.evs.forEach((ev, i) => {
    const out = schedule.evWh[i] as Float64Array;
    const slots: number[] = [];
    for (let t = ev.firstSlot; t <= ev.lastSlot; t++) slots.push(t);
    const price = (t: number): number => (ledger.spareGenerationWh(t) > 0 ? input.sellMinorPerKwh[t] : input.buyMinorPerKwh[t]) as number;
    slots.sort((a, b) => price(a) - price(b) || a - b);
    let left = Math.min(ev.totalMaxWh, Math.ceil(ev.needInsideWh));
    for (const t of slots) {
      if (left <= 0) break;
      const e = Math.min(ev.maxWh, left, ledger.headroomWh(t));
      out[t] = e;
      ledger.add(t, e);
      left -= e;
    }
  });
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function placeBattery(input: SitePlanInput, bounds: PlanBounds, ledger: SlotLedger, schedule: DeviceSchedule): void {
  const b = input.battery;
  const bb = bounds.battery;
  if (b === undefined || bb === undefined) return;
  const expensive = median(input.buyMinorPerKwh.subarray(0, input.horizon));
  let s = b.storedWh;
  for (let t = 0; t < input.horizon; t++) {
    const spare = ledger.spareGenerationWh(t);
    if (spare >= 1) {
      schedule.chargeWh[t] = Math.max(0, Math.min(Math.floor(spare), bb.maxChargeWh, Math.floor((bb.ceilingWh - s) / b.chargeEfficiency)));
    } else if ((input.buyMinorPerKwh[t] as number) > expensive) {
      schedule.dischargeWh[t] = Math.max(0, Math.min(Math.floor(-spare), bb.maxDischargeWh, Math.floor((s - bb.floorWh) * b.dischargeEfficiency)));
    }
    s = storedAfterWh(s, schedule.chargeWh[t] as number, schedule.dischargeWh[t] as number, b.chargeEfficiency, b.dischargeEfficiency);
    // The floors above can be one Wh off in floating point; fitScheduleToLimits makes them exact.
    s = Math.min(bb.ceilingWh, Math.max(bb.floorWh, s));
  }
}

export function heuristicPlan(input: SitePlanInput, reason: string): SitePlan {
  checkSitePlanInput(input);
  const bounds = planBounds(input);
  const ledger = new SlotLedger(input, bounds);
  const schedule = emptySchedule(input);
  placeWashers(input, bounds, ledger, schedule);
  placeHeaters(input, bounds, ledger, schedule);
  placeEvs(input, bounds, ledger, schedule);
  placeBattery(input, bounds, ledger, schedule);
  return assemblePlan(input, fitScheduleToLimits(input, bounds, schedule), 'heuristic', reason);
}
