/**
 * Makes a whole-Wh schedule keep the hard limits that rounding may have nudged, slot by slot in
 * time order (docs/ems.md, "Rounding"):
 *
 * 1. Battery: a slot that both charges and discharges is netted on the bus side (a battery takes
 *    one setpoint per slot); then discharge is cut so the stored energy stays at or above the floor,
 *    and charge so it stays at or below the ceiling. Both only move towards "do nothing", which
 *    always keeps the band, because the band contains the start.
 * 2. Import cap: if the slot would import more than its cap, flexible consumption is shed (battery
 *    charge first, then heaters, then EVs); only then, if still over, discharge is raised within
 *    the battery's power and floor. Shedding consumption never breaks another hard limit.
 *
 * It returns the schedule it was given, changed in place. It does not promise the cap: a schedule
 * whose washers alone exceed it stays over, and `checkPlan` says so.
 */
import { flexibleLoadWh, storedAfterWh, washerLoadWh, type DeviceSchedule } from './device-schedule.js';
import type { PlanBounds } from './plan-bounds.js';
import type { BatteryPlanInput, SitePlanInput } from './site-plan-input.js';

interface BatteryState {
  readonly b: BatteryPlanInput;
  readonly floorWh: number;
  readonly ceilingWh: number;
  readonly maxDischargeWh: number;
  storedWh: number;
}

/** Most whole Wh that may be discharged from `storedWh` without going below the floor. */
function dischargeRoomWh(s: BatteryState): number {
  let room = Math.max(0, Math.floor((s.storedWh - s.floorWh) * s.b.dischargeEfficiency));
  while (room > 0 && storedAfterWh(s.storedWh, 0, room, s.b.chargeEfficiency, s.b.dischargeEfficiency) < s.floorWh) room--;
  return room;
}

/** Most whole Wh that may be charged into `storedWh` without going above the ceiling. */
function chargeRoomWh(s: BatteryState): number {
  let room = Math.max(0, Math.floor((s.ceilingWh - s.storedWh) / s.b.chargeEfficiency));
  while (room > 0 && storedAfterWh(s.storedWh, room, 0, s.b.chargeEfficiency, s.b.dischargeEfficiency) > s.ceilingWh) room--;
  return room;
}

function fitBatterySlot(s: BatteryState, schedule: DeviceSchedule, t: number): void {
  let ch = schedule.chargeWh[t] as number;
  let dis = schedule.dischargeWh[t] as number;
  if (ch > 0 && dis > 0) {
    const net = ch - dis;
    ch = Math.max(0, net);
    dis = Math.max(0, -net);
  }
  schedule.chargeWh[t] = Math.min(ch, chargeRoomWh(s));
  schedule.dischargeWh[t] = Math.min(dis, dischargeRoomWh(s));
}

/** Sheds `excessWh` from a series at slot t; returns what is still to shed. */
function shed(series: Float64Array, t: number, excessWh: number): number {
  if (excessWh <= 0) return excessWh;
  const cut = Math.min(series[t] as number, Math.ceil(excessWh));
  series[t] = (series[t] as number) - cut;
  return excessWh - cut;
}

function fitImportSlot(input: SitePlanInput, cap: number, schedule: DeviceSchedule, washersWh: Float64Array, s: BatteryState | undefined, t: number): void {
  const netWh = (input.baseLoadWh[t] as number) + (schedule.chargeWh[t] as number) + flexibleLoadWh(schedule, washersWh, t)
    - (input.generationWh[t] as number) - (schedule.dischargeWh[t] as number);
  let excess = shed(schedule.chargeWh, t, netWh - cap);
  for (const h of schedule.heaterWh) excess = shed(h, t, excess);
  for (const ev of schedule.evWh) excess = shed(ev, t, excess);
  if (excess > 0 && s !== undefined && schedule.chargeWh[t] === 0) {
    const dis = schedule.dischargeWh[t] as number;
    const more = Math.min(Math.ceil(excess), s.maxDischargeWh - dis, dischargeRoomWh(s) - dis);
    if (more > 0) schedule.dischargeWh[t] = dis + more;
  }
}

export function fitScheduleToLimits(input: SitePlanInput, bounds: PlanBounds, schedule: DeviceSchedule): DeviceSchedule {
  const washersWh = washerLoadWh(input, schedule.washerStartOffset);
  const b = input.battery;
  const bb = bounds.battery;
  const state: BatteryState | undefined = b === undefined || bb === undefined ? undefined
    : { b, floorWh: bb.floorWh, ceilingWh: bb.ceilingWh, maxDischargeWh: bb.maxDischargeWh, storedWh: b.storedWh };
  for (let t = 0; t < input.horizon; t++) {
    if (state !== undefined) fitBatterySlot(state, schedule, t);
    else {
      schedule.chargeWh[t] = 0;
      schedule.dischargeWh[t] = 0;
    }
    fitImportSlot(input, bounds.importCapWh[t] as number, schedule, washersWh, state, t);
    if (state !== undefined) {
      state.storedWh = storedAfterWh(state.storedWh, schedule.chargeWh[t] as number, schedule.dischargeWh[t] as number, state.b.chargeEfficiency, state.b.dischargeEfficiency);
    }
  }
  return schedule;
}
