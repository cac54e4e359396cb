import { describe, expect, it } from 'vitest';
import type { ControllerSummary } from './controller-summary.js';
import { planRationing, samePlan } from './rationing-plan.js';

/** A summary of a controller with `usableWh` storage and a constant net critical load over 4 slots. */
function aSummary(controller: number, o: { usableWh?: number; netWh?: number; announced?: number; capacityWh?: number; efficiency?: number } = {}): ControllerSummary {
  const capacity = o.capacityWh ?? 10_000;
  return {
    controller, slot: 0, sites: 1, usableWh: o.usableWh ?? 1000, maxChargeWh: 500, capacityWh: capacity,
    efficiencyCapacityWh: capacity * (o.efficiency ?? 1), demandWh: [0, 0, 0], generationWh: 0, announcedSlotsLeft: o.announced ?? 0,
    netCriticalWh: new Float64Array(4).fill(o.netWh ?? 50), nonCriticalWh: new Float64Array(4),
  };
}

const params = { rationingHorizonSlots: 8, periodSlots: 4, safetyMarginPct: 0 };

describe('planRationing', () => {
  it('adds up the controllers’ storage and forecasts and keeps the reserve of the whole island', () => {
    const plan = planRationing([aSummary(3, { usableWh: 1000 }), aSummary(5, { usableWh: 600, netWh: 25 })], params);
    expect(plan.controllers).toEqual([3, 5]);
    expect(plan.usableWh).toBe(1600);
    expect(plan.horizonSlots).toBe(8);
    expect(plan.reserveWh).toBe(8 * 75);
    // No surplus ahead: what is above the reserve is spread over the horizon.
    expect(plan.releaseWh).toBe(Math.floor((1600 - 600) / 8));
  });

  it('rations over the longest announced outage, else over the survival horizon', () => {
    expect(planRationing([aSummary(1, { announced: 3 }), aSummary(2)], params).horizonSlots).toBe(3);
    expect(planRationing([aSummary(1), aSummary(2)], params).horizonSlots).toBe(8);
  });

  it('never keeps more than the island has, and releases nothing then', () => {
    const plan = planRationing([aSummary(1, { usableWh: 100 })], params);
    expect(plan.reserveWh).toBe(100);
    expect(plan.releaseWh).toBe(0);
  });

  it('uses the capacity-weighted efficiency of the batteries', () => {
    const plan = planRationing([aSummary(1, { efficiency: 0.5, usableWh: 5000 })], { ...params, rationingHorizonSlots: 2 });
    expect(plan.reserveWh).toBe(200);
  });

  it('is the same whatever order the summaries arrived in', () => {
    const s = [aSummary(4, { netWh: 10.1 }), aSummary(1, { netWh: 0.7 }), aSummary(9, { netWh: 3.3, usableWh: 77 })];
    const plans = [s, [s[2], s[0], s[1]], [s[1], s[2], s[0]]].map((list) => planRationing(list as ControllerSummary[], params));
    expect(samePlan(plans[0]!, plans[1]!)).toBe(true);
    expect(samePlan(plans[0]!, plans[2]!)).toBe(true);
    expect(samePlan(plans[0]!, planRationing(s.slice(1), params))).toBe(false);
  });

  it('error: two summaries of one controller', () => {
    expect(() => planRationing([aSummary(1), aSummary(1)], params)).toThrow(/distinct controllers/);
  });
});
