/**
 * Builds the planning problem of one site (`SitePlanInput`, docs/ems.md) from its devices' state,
 * the forecasts and the site's credential limits, at the start of the slot being planned (offset 0).
 *
 * - Offset 0 uses what the devices report for this slot (the frozen input image); later offsets use
 *   the forecasts.
 * - EVs: only a car plugged in now is planned, to its departure (a car that arrives later triggers a
 *   re-plan of its site when it plugs in).
 * - Washing machines: a job that is ready, not yet started and not yet planned is planned once (a
 *   held job is not re-planned: the hold is a promise to the owner, as in the VPP scheduler).
 * - Heaters: the 1R1C model of the building with the forecast outdoor temperature.
 * - Import limit per slot: the site's connection credential (rated power); allowance: the credential's
 *   authorised import per day, pro-rated to the horizon (trust layer on).
 */
import { kwToWh } from '../../units.js';
import type { SlotEnvironment } from '../../assets/environment.js';
import type { SiteModel } from '../../sim/site-model.js';
import type { SitePlanInput } from '../ems/site-plan-input.js';
import { cycleShape, latestStartOffset } from '../vpp/washing-schedule.js';
import type { SiteDevices } from './site-devices.js';

export interface PlanContext {
  readonly env: SlotEnvironment;
  readonly horizon: number;
  /** Forecasts from offset 0 (offset 0 is overwritten with this slot's sensed values). */
  readonly baseLoadWh: Float64Array;
  readonly generationWh: Float64Array;
  readonly buyMinorPerKwh: Float64Array;
  readonly sellMinorPerKwh: Float64Array;
  /** Forecast outdoor temperature per offset, °C. */
  readonly outdoorC: Float64Array;
  readonly importLimitWh: number;
  readonly importAllowanceWh: number;
  readonly batteryWearMinorPerKwh: number;
  readonly peakMinorPerKwh: number;
  /** Per washer of the site: the job already planned (its completed-jobs count), -1 when none. */
  readonly plannedJob: Int32Array;
}

/** Penalties of the soft constraints: far above any energy price, so they bind only when they must. */
export const EMS_PENALTIES = { unmetEvMinorPerKwh: 500, comfortMinorPerKelvinSlot: 200, overImportMinorPerKwh: 1000 } as const;

/** A site's problem, and which device of `SiteDevices` each EV and washer of the problem is. */
export interface SiteProblem {
  readonly input: SitePlanInput;
  readonly evs: readonly number[];
  readonly washers: readonly number[];
}

export function buildPlanInput(site: SiteModel, devices: SiteDevices, c: PlanContext): SiteProblem {
  const { env } = c;
  const slotMs = env.slotMinutes * 60_000;
  const evs = devices.evs.flatMap(({ device }, e) => (device.pluggedIn && device.energyRemainingWh > 0 ? [e] : []));
  const washers = devices.washers.flatMap(({ device }, w) => {
    if (device.pendingJobs === 0 || device.running || c.plannedJob[w] === device.completedJobs) return [];
    if (!(device.jobReadyMs <= env.startMs + slotMs / 2)) return [];
    return [w];
  });
  return { input: problemOf(site, devices, c, evs, washers), evs, washers };
}

function problemOf(site: SiteModel, devices: SiteDevices, c: PlanContext, evs: readonly number[], washers: readonly number[]): SitePlanInput {
  const { env, horizon } = c;
  const slotHours = env.slotHours;
  const slotMs = env.slotMinutes * 60_000;
  const nowMs = env.startMs;
  return {
    slotHours, horizon,
    baseLoadWh: c.baseLoadWh, generationWh: c.generationWh,
    buyMinorPerKwh: c.buyMinorPerKwh, sellMinorPerKwh: c.sellMinorPerKwh,
    importLimitWh: c.importLimitWh, importAllowanceWh: c.importAllowanceWh,
    peakMinorPerKwh: c.peakMinorPerKwh,
    storedValueMinorPerKwh: storedValue(c.buyMinorPerKwh, site),
    battery: batteryOf(site, slotHours, c.batteryWearMinorPerKwh),
    evs: evs.map((e) => devices.evs[e]?.device).filter((d) => d !== undefined).map((device) => ({
      availableFromOffset: 0,
      // The last slot whose middle is before the departure.
      departureOffset: Math.max(0, Math.ceil((device.departureMs - nowMs) / slotMs - 0.5) - 1),
      energyNeededWh: device.energyRemainingWh,
      maxChargeWh: kwToWh(device.chargerKw, slotHours),
    })),
    heaters: devices.heaters.map((h) => {
      const t = h.thermal;
      return {
        indoorC: h.indoorC, comfortMinC: t.comfortMinC, comfortMaxC: t.comfortMaxC, heatLossKwPerK: t.heatLossKwPerK,
        decay: Math.exp((-t.heatLossKwPerK * slotHours) / t.thermalCapacityKwhPerK),
        ratedWh: kwToWh(t.ratedKw, slotHours),
        outdoorC: c.outdoorC.subarray(0, horizon),
        cop: Float64Array.from(c.outdoorC.subarray(0, horizon), (o) => h.cop(o)),
      };
    }),
    washers: washers.map((w) => devices.washers[w]?.device).filter((d) => d !== undefined).flatMap((device) => {
      const shape = cycleShape(device.cycleRemainingWh, device.cycleSlotWh(slotHours));
      const latest = latestStartOffset(nowMs, slotMs, device.jobDeadlineMs, shape.slots);
      const cycleWh = Array.from({ length: shape.slots }, (_, j) => (j < shape.slots - 1 ? shape.slotWh : shape.lastWh));
      // Too late for the deadline: the plan starts it now (offset 0 is the only start).
      return [{ readyOffset: 0, latestStartOffset: Math.max(0, latest), cycleWh }];
    }),
    penalties: EMS_PENALTIES,
  };
}

/**
 * What a kWh left in the battery at the end of the horizon is worth: the mean buy price of the
 * horizon after the discharge loss (what it will save later). Without it, every plan would empty the
 * battery by the end of its horizon.
 */
function storedValue(buyMinorPerKwh: Float64Array, site: SiteModel): number {
  if (site.batteries.length === 0 || buyMinorPerKwh.length === 0) return 0;
  let sum = 0;
  for (const p of buyMinorPerKwh) sum += p;
  return Math.max(0, (sum / buyMinorPerKwh.length) * Math.sqrt((site.batteries[0]?.roundTripEfficiencyPct ?? 100) / 100));
}

/** The site's batteries as one store (sums; the efficiency of the first, all are alike in practice). */
function batteryOf(site: SiteModel, slotHours: number, wearMinorPerKwh: number): SitePlanInput['battery'] {
  if (site.batteries.length === 0 || site.assetsDestroyed) return undefined;
  let storedWh = 0, floorWh = 0, ceilingWh = 0, maxChargeWh = 0, maxDischargeWh = 0;
  for (const bat of site.batteries) {
    storedWh += bat.storedWh;
    floorWh += bat.floorWh;
    ceilingWh += bat.ceilingWh;
    maxChargeWh += kwToWh(bat.maxChargeKw, slotHours);
    maxDischargeWh += kwToWh(bat.maxDischargeKw, slotHours);
  }
  const oneWay = Math.sqrt((site.batteries[0]?.roundTripEfficiencyPct ?? 100) / 100);
  return { storedWh, floorWh, ceilingWh, maxChargeWh, maxDischargeWh, chargeEfficiency: oneWay, dischargeEfficiency: oneWay, wearMinorPerKwh };
}
