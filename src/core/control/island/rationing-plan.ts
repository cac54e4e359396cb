/**
 * The island's rationing plan, computed by every controller from the summaries it holds (its own and
 * its peers'): a pure function of the set of summaries, independent of the order they arrived in
 * (they are sorted by controller first), so controllers that hear each other agree on the plan.
 *
 * 1. Horizon: the longest outage duration announced to any of the controllers, or the survival
 *    horizon (`autonomy.rationingHorizonHours`) when none was announced or it has run out.
 * 2. Reserve: the stored energy the island needs now so that critical load never runs out over the
 *    horizon (reserve-need.ts, with charging from forecast surplus and a safety margin).
 * 3. Release: storage above the reserve is released to essential and normal load (essential first,
 *    by the controller's pool), spread evenly over the slots until the next forecast surplus.
 */
import { assert } from '../../assert.js';
import type { ControllerSummary } from './controller-summary.js';
import { releaseWh, reserveNeed } from './reserve-need.js';

export interface PlanParameters {
  /** Survival horizon when no outage duration is known, slots. */
  readonly rationingHorizonSlots: number;
  /** One day, slots (forecasts repeat with it past their end). */
  readonly periodSlots: number;
  readonly safetyMarginPct: number;
}

export interface RationingPlan {
  /** Controllers whose summaries the plan was made from, ascending. */
  readonly controllers: readonly number[];
  readonly horizonSlots: number;
  /** Stored energy above the SoC floor of those controllers' batteries. */
  readonly usableWh: number;
  /** Stored energy kept for critical load. */
  readonly reserveWh: number;
  /** Storage released to essential and normal load this slot, bus side. */
  readonly releaseWh: number;
}

export function planRationing(summaries: readonly ControllerSummary[], params: PlanParameters): RationingPlan {
  assert(summaries.length > 0, 'a rationing plan needs at least the controller’s own summary');
  const sorted = [...summaries].sort((x, y) => x.controller - y.controller);
  const length = (sorted[0] as ControllerSummary).netCriticalWh.length;
  const net = new Float64Array(length);
  const other = new Float64Array(length);
  let usable = 0;
  let maxCharge = 0;
  let capacity = 0;
  let weighted = 0;
  let announced = 0;
  let previous = -1;
  for (const s of sorted) {
    assert(s.controller !== previous && s.netCriticalWh.length === length && s.nonCriticalWh.length === length,
      'rationing summaries must come from distinct controllers with forecasts of one length', { controller: s.controller });
    previous = s.controller;
    for (let h = 0; h < length; h++) {
      net[h] = (net[h] as number) + (s.netCriticalWh[h] as number);
      other[h] = (other[h] as number) + (s.nonCriticalWh[h] as number);
    }
    usable += s.usableWh;
    maxCharge += s.maxChargeWh;
    capacity += s.capacityWh;
    weighted += s.efficiencyCapacityWh;
    announced = Math.max(announced, s.announcedSlotsLeft);
  }
  const efficiency = capacity > 0 ? Math.min(1, weighted / capacity) : 1;
  const horizonSlots = announced > 0 ? announced : params.rationingHorizonSlots;
  const need = reserveNeed({
    netCriticalWh: net, nonCriticalWh: other, horizonSlots, periodSlots: params.periodSlots, maxChargeWh: maxCharge, efficiency,
    safetyMarginPct: params.safetyMarginPct,
  });
  return {
    controllers: sorted.map((s) => s.controller), horizonSlots, usableWh: usable,
    reserveWh: Math.min(usable, need.reserveWh), releaseWh: releaseWh(usable, need, efficiency),
  };
}

/** Whether two controllers computed the same plan. */
export function samePlan(a: RationingPlan, b: RationingPlan): boolean {
  return a.horizonSlots === b.horizonSlots && a.usableWh === b.usableWh && a.reserveWh === b.reserveWh && a.releaseWh === b.releaseWh
    && a.controllers.length === b.controllers.length && a.controllers.every((c, k) => c === b.controllers[k]);
}
