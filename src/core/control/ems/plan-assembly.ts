/**
 * Turns a device schedule into a `SitePlan`: the flows at the meter follow from the balance of each
 * slot. What the site still needs is imported; what it has spare is exported, or curtailed where
 * selling would cost money (a negative sell price). Import and export are never both above zero in a
 * slot (the meter sees one net flow). Stored energy and indoor temperatures follow from the device
 * models, so a plan's states are always consistent with its energies.
 */
import { flexibleLoadWh, storedAfterWh, washerLoadWh, type DeviceSchedule } from './device-schedule.js';
import { indoorTrajectoryC } from './heater-thermal.js';
import type { SitePlanInput } from './site-plan-input.js';
import type { SitePlan } from './site-plan.js';

function storedTrajectoryWh(input: SitePlanInput, schedule: DeviceSchedule): Float64Array {
  const out = new Float64Array(input.horizon);
  const b = input.battery;
  if (b === undefined) return out;
  let s = b.storedWh;
  for (let t = 0; t < input.horizon; t++) {
    s = storedAfterWh(s, schedule.chargeWh[t] as number, schedule.dischargeWh[t] as number, b.chargeEfficiency, b.dischargeEfficiency);
    out[t] = s;
  }
  return out;
}

/** Energy cost at the meter, minor units (an estimate in float, not a settled amount). */
export function energyCostMinor(input: SitePlanInput, importWh: Float64Array, exportWh: Float64Array): number {
  let cost = 0;
  for (let t = 0; t < input.horizon; t++) {
    cost += ((input.buyMinorPerKwh[t] as number) * (importWh[t] as number) - (input.sellMinorPerKwh[t] as number) * (exportWh[t] as number)) / 1000;
  }
  return cost;
}

export function assemblePlan(input: SitePlanInput, schedule: DeviceSchedule, source: SitePlan['source'], fallbackReason?: string): SitePlan {
  const T = input.horizon;
  const importWh = new Float64Array(T);
  const exportWh = new Float64Array(T);
  const curtailWh = new Float64Array(T);
  const washersWh = washerLoadWh(input, schedule.washerStartOffset);
  for (let t = 0; t < T; t++) {
    const gen = input.generationWh[t] as number;
    const net = (input.baseLoadWh[t] as number) + (schedule.chargeWh[t] as number) + flexibleLoadWh(schedule, washersWh, t)
      - gen - (schedule.dischargeWh[t] as number);
    if (net >= 0) importWh[t] = net;
    else {
      const spare = -net;
      const curtail = (input.sellMinorPerKwh[t] as number) < 0 ? Math.min(gen, spare) : 0;
      curtailWh[t] = curtail;
      exportWh[t] = spare - curtail;
    }
  }
  return {
    source,
    ...(fallbackReason === undefined ? {} : { fallbackReason }),
    importWh, exportWh, curtailWh,
    chargeWh: schedule.chargeWh,
    dischargeWh: schedule.dischargeWh,
    storedWh: storedTrajectoryWh(input, schedule),
    evWh: schedule.evWh,
    heaterWh: schedule.heaterWh,
    indoorC: input.heaters.map((h, i) => indoorTrajectoryC(h, schedule.heaterWh[i] ?? new Float64Array(T), T, input.slotHours)),
    washerStartOffset: schedule.washerStartOffset,
    costMinor: energyCostMinor(input, importWh, exportWh),
  };
}
