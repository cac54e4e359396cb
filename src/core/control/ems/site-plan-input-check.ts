/**
 * Validates a `SitePlanInput` once, at the planner's edge (CONVENTIONS 7): every number finite and
 * in range, every series long enough, devices within the bounds. A bad input is a typed error that
 * lists `path: expected, got value`; it is not a reason to fall back (the heuristic would plan from
 * the same bad data).
 */
import { GridmeshError } from '../../errors.js';
import {
  PLAN_DEVICES_PER_KIND_MAX, PLAN_HORIZON_MAX, WASHER_CYCLE_SLOTS_MAX,
  type BatteryPlanInput, type EvPlanInput, type HeaterPlanInput, type SitePlanInput, type WasherPlanInput,
} from './site-plan-input.js';

/** A site plan input that breaks its contract; `details` lists `path: expected, got value`. */
export class SitePlanInputError extends GridmeshError {
  override readonly name = 'SitePlanInputError';
}

type Problems = string[];

function need(problems: Problems, ok: boolean, path: string, expected: string, got: unknown): void {
  if (!ok) problems.push(`${path}: expected ${expected}, got ${String(got)}`);
}

const finite = (x: number): boolean => Number.isFinite(x);
const nonNegative = (x: number): boolean => Number.isFinite(x) && x >= 0;

function checkSeries(problems: Problems, path: string, values: Float64Array, horizon: number, ok: (x: number) => boolean, expected: string): void {
  if (values.length < horizon) {
    problems.push(`${path}: expected at least ${horizon} values, got ${values.length}`);
    return;
  }
  for (let t = 0; t < horizon; t++) {
    const x = values[t] as number;
    if (!ok(x)) {
      problems.push(`${path}[${t}]: expected ${expected}, got ${x}`);
      return;
    }
  }
}

function checkBattery(problems: Problems, b: BatteryPlanInput): void {
  need(problems, nonNegative(b.storedWh), 'battery.storedWh', 'a finite number ≥ 0', b.storedWh);
  need(problems, nonNegative(b.floorWh), 'battery.floorWh', 'a finite number ≥ 0', b.floorWh);
  need(problems, finite(b.ceilingWh) && b.ceilingWh >= b.floorWh, 'battery.ceilingWh', 'a finite number ≥ floorWh', b.ceilingWh);
  need(problems, nonNegative(b.maxChargeWh), 'battery.maxChargeWh', 'a finite number ≥ 0', b.maxChargeWh);
  need(problems, nonNegative(b.maxDischargeWh), 'battery.maxDischargeWh', 'a finite number ≥ 0', b.maxDischargeWh);
  need(problems, b.chargeEfficiency > 0 && b.chargeEfficiency <= 1, 'battery.chargeEfficiency', 'a number in (0, 1]', b.chargeEfficiency);
  need(problems, b.dischargeEfficiency > 0 && b.dischargeEfficiency <= 1, 'battery.dischargeEfficiency', 'a number in (0, 1]', b.dischargeEfficiency);
  need(problems, nonNegative(b.wearMinorPerKwh), 'battery.wearMinorPerKwh', 'a finite number ≥ 0', b.wearMinorPerKwh);
}

function checkEv(problems: Problems, ev: EvPlanInput, path: string): void {
  need(problems, Number.isSafeInteger(ev.availableFromOffset) && ev.availableFromOffset >= 0, `${path}.availableFromOffset`, 'a whole number ≥ 0', ev.availableFromOffset);
  need(problems, Number.isSafeInteger(ev.departureOffset), `${path}.departureOffset`, 'a whole number', ev.departureOffset);
  need(problems, nonNegative(ev.energyNeededWh), `${path}.energyNeededWh`, 'a finite number ≥ 0', ev.energyNeededWh);
  need(problems, nonNegative(ev.maxChargeWh), `${path}.maxChargeWh`, 'a finite number ≥ 0', ev.maxChargeWh);
}

function checkHeater(problems: Problems, h: HeaterPlanInput, path: string, horizon: number): void {
  need(problems, finite(h.indoorC), `${path}.indoorC`, 'a finite number', h.indoorC);
  need(problems, finite(h.comfortMinC) && finite(h.comfortMaxC) && h.comfortMinC <= h.comfortMaxC,
    `${path}.comfortMaxC`, 'a finite number ≥ comfortMinC', h.comfortMaxC);
  need(problems, finite(h.heatLossKwPerK) && h.heatLossKwPerK > 0, `${path}.heatLossKwPerK`, 'a finite number > 0', h.heatLossKwPerK);
  need(problems, h.decay > 0 && h.decay < 1, `${path}.decay`, 'a number in (0, 1)', h.decay);
  need(problems, nonNegative(h.ratedWh), `${path}.ratedWh`, 'a finite number ≥ 0', h.ratedWh);
  checkSeries(problems, `${path}.outdoorC`, h.outdoorC, horizon, finite, 'a finite number');
  checkSeries(problems, `${path}.cop`, h.cop, horizon, (x) => finite(x) && x > 0, 'a finite number > 0');
}

function checkWasher(problems: Problems, w: WasherPlanInput, path: string): void {
  need(problems, Number.isSafeInteger(w.readyOffset), `${path}.readyOffset`, 'a whole number', w.readyOffset);
  need(problems, Number.isSafeInteger(w.latestStartOffset) && w.latestStartOffset >= w.readyOffset,
    `${path}.latestStartOffset`, 'a whole number ≥ readyOffset', w.latestStartOffset);
  need(problems, w.cycleWh.length >= 1 && w.cycleWh.length <= WASHER_CYCLE_SLOTS_MAX, `${path}.cycleWh`,
    `1 to ${WASHER_CYCLE_SLOTS_MAX} slots`, `${w.cycleWh.length} slots`);
  const bad = w.cycleWh.findIndex((x) => !Number.isSafeInteger(x) || x < 0);
  if (bad >= 0) problems.push(`${path}.cycleWh[${bad}]: expected a whole number of Wh ≥ 0, got ${w.cycleWh[bad]}`);
}

function checkDeviceCount(problems: Problems, path: string, count: number): void {
  need(problems, count <= PLAN_DEVICES_PER_KIND_MAX, path, `at most ${PLAN_DEVICES_PER_KIND_MAX} devices`, count);
}

/** Checks the site's own fields; false when the horizon or slot length is unusable (nothing else can be checked). */
function checkSite(problems: Problems, input: SitePlanInput): boolean {
  const { horizon } = input;
  need(problems, finite(input.slotHours) && input.slotHours > 0, 'slotHours', 'a finite number > 0', input.slotHours);
  need(problems, Number.isSafeInteger(horizon) && horizon >= 1 && horizon <= PLAN_HORIZON_MAX, 'horizon', `a whole number from 1 to ${PLAN_HORIZON_MAX}`, horizon);
  if (problems.length > 0) return false;
  checkSeries(problems, 'baseLoadWh', input.baseLoadWh, horizon, nonNegative, 'a finite number ≥ 0');
  checkSeries(problems, 'generationWh', input.generationWh, horizon, nonNegative, 'a finite number ≥ 0');
  checkSeries(problems, 'buyMinorPerKwh', input.buyMinorPerKwh, horizon, finite, 'a finite number');
  checkSeries(problems, 'sellMinorPerKwh', input.sellMinorPerKwh, horizon, finite, 'a finite number');
  need(problems, input.importLimitWh >= 0, 'importLimitWh', 'a number ≥ 0 or Infinity', input.importLimitWh);
  need(problems, input.importAllowanceWh >= 0, 'importAllowanceWh', 'a number ≥ 0 or Infinity', input.importAllowanceWh);
  need(problems, nonNegative(input.peakMinorPerKwh ?? 0), 'peakMinorPerKwh', 'a finite number ≥ 0', input.peakMinorPerKwh);
  need(problems, finite(input.storedValueMinorPerKwh ?? 0), 'storedValueMinorPerKwh', 'a finite number', input.storedValueMinorPerKwh);
  const p = input.penalties;
  need(problems, nonNegative(p.unmetEvMinorPerKwh), 'penalties.unmetEvMinorPerKwh', 'a finite number ≥ 0', p.unmetEvMinorPerKwh);
  need(problems, nonNegative(p.comfortMinorPerKelvinSlot), 'penalties.comfortMinorPerKelvinSlot', 'a finite number ≥ 0', p.comfortMinorPerKelvinSlot);
  need(problems, nonNegative(p.overImportMinorPerKwh), 'penalties.overImportMinorPerKwh', 'a finite number ≥ 0', p.overImportMinorPerKwh);
  need(problems, nonNegative(p.missedWasherMinorPerKwh ?? 0), 'penalties.missedWasherMinorPerKwh', 'a finite number ≥ 0', p.missedWasherMinorPerKwh);
  return true;
}

/** Throws `SitePlanInputError` listing every problem of `input`; returns it unchanged when fine. */
export function checkSitePlanInput(input: SitePlanInput): SitePlanInput {
  const problems: Problems = [];
  if (checkSite(problems, input)) {
    if (input.battery !== undefined) checkBattery(problems, input.battery);
    checkDeviceCount(problems, 'evs', input.evs.length);
    checkDeviceCount(problems, 'heaters', input.heaters.length);
    checkDeviceCount(problems, 'washers', input.washers.length);
    input.evs.forEach((ev, i) => checkEv(problems, ev, `evs[${i}]`));
    input.heaters.forEach((h, i) => checkHeater(problems, h, `heaters[${i}]`, input.horizon));
    input.washers.forEach((w, i) => checkWasher(problems, w, `washers[${i}]`));
  }
  if (problems.length > 0) {
    throw new SitePlanInputError(`site plan input: ${problems.length} problem(s), first: ${problems[0]}`, { details: problems });
  }
  return input;
}
