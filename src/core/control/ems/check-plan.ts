/**
 * Every hard constraint a plan must keep, checked independently of how the plan was made (LP or
 * heuristic). Soft ones (comfort, EV need, the import allowance, washer deadlines) are priced by
 * `planObjective`, not checked here. Returns human-readable violations, [] when the plan is fine.
 *
 * Hard: shapes; whole Wh for device energies; device power limits; an EV charges only while it is
 * available and never beyond its need; heater temperatures follow the 1R1C model; washers start
 * inside their window (or not in the horizon) and draw their fixed cycle; stored energy follows the
 * battery model and stays in its band; a battery does not charge and discharge in one slot; the
 * balance of every slot; curtailment within generation; import and export not both in one slot;
 * import within the slot's cap (plan-bounds.ts).
 */
import { flexibleLoadWh, storedAfterWh, washerLoadWh, type DeviceSchedule } from './device-schedule.js';
import { indoorAfterC } from './heater-thermal.js';
import { planBounds, type PlanBounds } from './plan-bounds.js';
import type { SitePlanInput } from './site-plan-input.js';
import type { SitePlan } from './site-plan.js';

/** Tolerance of temperatures recomputed from the energies, K. */
const TEMPERATURE_TOLERANCE_K = 1e-6;

type Violations = string[];

function checkShapes(input: SitePlanInput, plan: SitePlan, v: Violations): boolean {
  const T = input.horizon;
  const series: [string, Float64Array][] = [
    ['importWh', plan.importWh], ['exportWh', plan.exportWh], ['curtailWh', plan.curtailWh],
    ['chargeWh', plan.chargeWh], ['dischargeWh', plan.dischargeWh], ['storedWh', plan.storedWh],
    ...plan.evWh.map((a, i): [string, Float64Array] => [`evWh[${i}]`, a]),
    ...plan.heaterWh.map((a, i): [string, Float64Array] => [`heaterWh[${i}]`, a]),
    ...plan.indoorC.map((a, i): [string, Float64Array] => [`indoorC[${i}]`, a]),
  ];
  for (const [name, a] of series) {
    if (a.length !== T) v.push(`${name}: ${a.length} slots, expected ${T}`);
    else if (!a.every(Number.isFinite)) v.push(`${name}: a value is not finite`);
  }
  if (plan.evWh.length !== input.evs.length) v.push(`evWh: ${plan.evWh.length} EVs, expected ${input.evs.length}`);
  if (plan.heaterWh.length !== input.heaters.length || plan.indoorC.length !== input.heaters.length) v.push(`heaterWh/indoorC: expected ${input.heaters.length} heaters`);
  if (plan.washerStartOffset.length !== input.washers.length) v.push(`washerStartOffset: expected ${input.washers.length} washers`);
  return v.length === 0;
}

/** Whole Wh in [0, max] for every slot of a device series. */
function checkDeviceSeries(v: Violations, name: string, a: Float64Array, maxWhAt: (t: number) => number): void {
  for (let t = 0; t < a.length; t++) {
    const x = a[t] as number;
    if (!Number.isSafeInteger(x) || x < 0) v.push(`${name}[${t}] = ${x}: expected whole Wh ≥ 0`);
    else if (x > maxWhAt(t)) v.push(`${name}[${t}] = ${x} Wh above its limit ${maxWhAt(t)} Wh`);
  }
}

function checkBattery(input: SitePlanInput, bounds: PlanBounds, plan: SitePlan, tol: number, v: Violations): void {
  const b = input.battery;
  const bb = bounds.battery;
  if (b === undefined || bb === undefined) {
    if (plan.chargeWh.some((x) => x !== 0) || plan.dischargeWh.some((x) => x !== 0)) v.push('battery energy planned for a site without a battery');
    return;
  }
  checkDeviceSeries(v, 'chargeWh', plan.chargeWh, () => bb.maxChargeWh);
  checkDeviceSeries(v, 'dischargeWh', plan.dischargeWh, () => bb.maxDischargeWh);
  let s = b.storedWh;
  for (let t = 0; t < input.horizon; t++) {
    const ch = plan.chargeWh[t] as number;
    const dis = plan.dischargeWh[t] as number;
    if (ch > 0 && dis > 0) v.push(`slot ${t}: battery charges ${ch} Wh and discharges ${dis} Wh`);
    s = storedAfterWh(s, ch, dis, b.chargeEfficiency, b.dischargeEfficiency);
    if (Math.abs(s - (plan.storedWh[t] as number)) > tol) v.push(`storedWh[${t}] = ${plan.storedWh[t]}, the battery model gives ${s}`);
    if (s < bb.floorWh - tol || s > bb.ceilingWh + tol) v.push(`storedWh[${t}] = ${s} outside [${bb.floorWh}, ${bb.ceilingWh}]`);
  }
}

function checkEvs(bounds: PlanBounds, plan: SitePlan, v: Violations): void {
  bounds.evs.forEach((ev, i) => {
    const a = plan.evWh[i] as Float64Array;
    checkDeviceSeries(v, `evWh[${i}]`, a, (t) => (t >= ev.firstSlot && t <= ev.lastSlot ? ev.maxWh : 0));
    const total = a.reduce((s, x) => s + x, 0);
    if (total > ev.totalMaxWh) v.push(`evWh[${i}]: ${total} Wh in total, more than the ${ev.totalMaxWh} Wh it needs`);
  });
}

function checkHeaters(input: SitePlanInput, bounds: PlanBounds, plan: SitePlan, v: Violations): void {
  input.heaters.forEach((h, i) => {
    const e = plan.heaterWh[i] as Float64Array;
    const temps = plan.indoorC[i] as Float64Array;
    checkDeviceSeries(v, `heaterWh[${i}]`, e, () => bounds.heaterMaxWh[i] ?? 0);
    let c = h.indoorC;
    for (let t = 0; t < input.horizon; t++) {
      c = indoorAfterC(h, t, c, e[t] as number, input.slotHours);
      if (!(Math.abs(c - (temps[t] as number)) <= TEMPERATURE_TOLERANCE_K)) {
        v.push(`indoorC[${i}][${t}] = ${temps[t]}, the building model gives ${c}`);
        return;
      }
    }
  });
}

function checkWashers(bounds: PlanBounds, plan: SitePlan, v: Violations): void {
  bounds.washers.forEach((wb, j) => {
    const s = plan.washerStartOffset[j] as number;
    if (s !== -1 && !(Number.isInteger(s) && s >= wb.firstStart && s <= wb.lastStart)) {
      v.push(`washer ${j} starts at ${s}, outside its window [${wb.firstStart}, ${wb.lastStart}]`);
    }
  });
}

function checkFlows(input: SitePlanInput, bounds: PlanBounds, plan: SitePlan, tol: number, v: Violations): void {
  const schedule: DeviceSchedule = { ...plan, evWh: [...plan.evWh], heaterWh: [...plan.heaterWh], washerStartOffset: [...plan.washerStartOffset] };
  const washersWh = washerLoadWh(input, plan.washerStartOffset);
  for (let t = 0; t < input.horizon; t++) {
    const imp = plan.importWh[t] as number;
    const exp = plan.exportWh[t] as number;
    const cur = plan.curtailWh[t] as number;
    const gen = input.generationWh[t] as number;
    if (imp < 0 || exp < 0 || cur < 0) v.push(`slot ${t}: negative import, export or curtailment`);
    if (imp > 0 && exp > 0) v.push(`slot ${t}: imports ${imp} Wh and exports ${exp} Wh`);
    if (cur > gen + tol) v.push(`slot ${t}: curtails ${cur} Wh of ${gen} Wh generated`);
    const supply = gen - cur + (plan.dischargeWh[t] as number) + imp;
    const use = (input.baseLoadWh[t] as number) + (plan.chargeWh[t] as number) + flexibleLoadWh(schedule, washersWh, t) + exp;
    if (Math.abs(supply - use) > tol) v.push(`slot ${t}: supply ${supply} Wh ≠ use ${use} Wh`);
    const cap = bounds.importCapWh[t] as number;
    if (imp > cap + tol) v.push(`slot ${t}: imports ${imp} Wh above the limit ${cap} Wh`);
  }
}

export function checkPlan(input: SitePlanInput, plan: SitePlan, toleranceWh = 1e-6): string[] {
  const v: Violations = [];
  if (!checkShapes(input, plan, v)) return v;
  const bounds = planBounds(input);
  checkBattery(input, bounds, plan, toleranceWh, v);
  checkEvs(bounds, plan, v);
  checkHeaters(input, bounds, plan, v);
  checkWashers(bounds, plan, v);
  checkFlows(input, bounds, plan, toleranceWh, v);
  return v;
}
