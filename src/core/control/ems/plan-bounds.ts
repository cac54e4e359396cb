/**
 * The hard limits and device windows that the LP, the heuristic and `checkPlan` share, derived once
 * from a validated input. Keeping them in one place is what makes "every plan passes checkPlan" a
 * property of the rules rather than of three copies of them (docs/ems.md, "Hard and soft").
 *
 * - Device limits per slot are whole Wh (floored), so a rounded plan stays within them.
 * - The import cap of a slot is the connection limit, or the base load's own shortfall
 *   (base − generation) where that is higher: no plan can import less than that without a battery,
 *   so a plan may, but flexible devices never add to it.
 * - A battery that starts outside its band may stay there (the band is widened to its start).
 */
import { missedWasherMinorPerKwh } from './plan-penalties.js';
import type { EvPlanInput, SitePlanInput, WasherPlanInput } from './site-plan-input.js';

export interface BatteryBounds {
  readonly floorWh: number;
  readonly ceilingWh: number;
  readonly maxChargeWh: number;
  readonly maxDischargeWh: number;
}

export interface EvBounds {
  /** Slots it may charge in, inside the horizon; empty when lastSlot < firstSlot. */
  readonly firstSlot: number;
  readonly lastSlot: number;
  readonly maxWh: number;
  /** Most it may take in the horizon (its whole remaining need). */
  readonly totalMaxWh: number;
  /** What the horizon should deliver (soft, penalised when unmet). */
  readonly needInsideWh: number;
}

export interface WasherBounds {
  /** Starts inside the horizon; empty when lastStart < firstStart. */
  readonly firstStart: number;
  readonly lastStart: number;
  /** The option of not starting inside the horizon: 'later' (its deadline is beyond) or 'missed'. */
  readonly outside: 'later' | 'missed';
  /** Cost of that option, minor units (later: its energy at the mean buy price; missed: the penalty). */
  readonly outsideCostMinor: number;
  /** Cost of each start's energy beyond the horizon at the mean buy price, minor units (index = start − firstStart). */
  readonly tailCostMinor: Float64Array;
}

export interface PlanBounds {
  readonly importCapWh: Float64Array;
  /** Mean buy price over the horizon: the price of energy a device takes after it. */
  readonly meanBuyMinorPerKwh: number;
  readonly battery?: BatteryBounds;
  readonly evs: readonly EvBounds[];
  readonly heaterMaxWh: readonly number[];
  readonly washers: readonly WasherBounds[];
}

function evBounds(ev: EvPlanInput, horizon: number): EvBounds {
  const maxWh = Math.floor(ev.maxChargeWh);
  const firstSlot = ev.availableFromOffset;
  const lastSlot = Math.min(ev.departureOffset, horizon - 1);
  const inside = Math.max(0, lastSlot - firstSlot + 1);
  const outside = Math.max(0, ev.departureOffset - Math.max(firstSlot, horizon) + 1);
  const need = ev.energyNeededWh;
  // Pro rata by the slots it is available inside vs after the horizon, never more than fits inside.
  // This is never less than what could not be delivered after the horizon (need − maxWh·outside)
  // whenever the need can be met at all, so a car is never left short by waiting.
  const proRata = inside === 0 ? 0 : (need * inside) / (inside + outside);
  return { firstSlot, lastSlot, maxWh, totalMaxWh: Math.floor(need), needInsideWh: Math.min(maxWh * inside, proRata) };
}

function washerBounds(w: WasherPlanInput, input: SitePlanInput, meanBuy: number): WasherBounds {
  const { horizon } = input;
  const firstStart = Math.max(0, w.readyOffset);
  // Past its latest start (not started yet): it may still start now.
  const lastStart = Math.min(horizon - 1, Math.max(firstStart, w.latestStartOffset));
  const later = w.latestStartOffset >= horizon;
  const cycleWh = w.cycleWh.reduce((s, x) => s + x, 0);
  const outsidePrice = later ? meanBuy : missedWasherMinorPerKwh(input.penalties);
  const tailCostMinor = new Float64Array(Math.max(0, lastStart - firstStart + 1));
  for (let s = firstStart; s <= lastStart; s++) {
    let tailWh = 0;
    for (let k = Math.max(0, horizon - s); k < w.cycleWh.length; k++) tailWh += w.cycleWh[k] as number;
    tailCostMinor[s - firstStart] = (tailWh * meanBuy) / 1000;
  }
  return { firstStart, lastStart, outside: later ? 'later' : 'missed', outsideCostMinor: (cycleWh * outsidePrice) / 1000, tailCostMinor };
}

/** Derives the shared limits of a validated input. */
export function planBounds(input: SitePlanInput): PlanBounds {
  const { horizon } = input;
  const importCapWh = new Float64Array(horizon);
  let buySum = 0;
  for (let t = 0; t < horizon; t++) {
    const shortfall = (input.baseLoadWh[t] as number) - (input.generationWh[t] as number);
    importCapWh[t] = Math.max(input.importLimitWh, shortfall);
    buySum += input.buyMinorPerKwh[t] as number;
  }
  const meanBuyMinorPerKwh = buySum / horizon;
  const b = input.battery;
  return {
    importCapWh,
    meanBuyMinorPerKwh,
    ...(b === undefined ? {} : {
      battery: {
        floorWh: Math.min(b.floorWh, b.storedWh),
        ceilingWh: Math.max(b.ceilingWh, b.storedWh),
        maxChargeWh: Math.floor(b.maxChargeWh),
        maxDischargeWh: Math.floor(b.maxDischargeWh),
      },
    }),
    evs: input.evs.map((ev) => evBounds(ev, horizon)),
    heaterMaxWh: input.heaters.map((h) => Math.floor(h.ratedWh)),
    washers: input.washers.map((w) => washerBounds(w, input, meanBuyMinorPerKwh)),
  };
}

/** Energy washer `w` draws at slot t when started at `start` (−1 = not inside the horizon), Wh. */
export function washerWhAt(w: WasherPlanInput, start: number, t: number): number {
  if (start < 0 || t < start) return 0;
  return w.cycleWh[t - start] ?? 0;
}
