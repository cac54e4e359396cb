/**
 * The site EMS with the real solver (HiGHS): behaviour on small sites whose best plan is known.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPlan, heuristicPlan, planObjective, planSite, type SitePlan } from '../../core/control/ems/site-plan.js';
import { aBattery, aHeater, anEv, aSitePlanInput, aWasher, flat } from '../../core/control/ems/site-plan-input.fixture.js';
import type { SitePlanInput } from '../../core/control/ems/site-plan-input.js';
import { loadHighsSolver, type HighsLpSolver } from './highs-lp-solver.js';

let solver: HighsLpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

function optimalPlan(input: SitePlanInput): SitePlan {
  const plan = planSite(input, solver, { timeLimitMs: 10_000 });
  expect(plan.fallbackReason).toBeUndefined();
  expect(plan.source).toBe('optimal');
  expect(checkPlan(input, plan)).toEqual([]);
  return plan;
}

const slots = (a: ArrayLike<number>, from: number, to: number): number[] => Array.from(a).slice(from, to);
const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, x) => s + x, 0);

describe('site EMS with HiGHS', () => {
  it('a battery buys before a price step and covers the load after it', () => {
    const input = aSitePlanInput({
      horizon: 8, baseLoadWh: flat(8, 500), buyMinorPerKwh: Float64Array.of(10, 10, 10, 10, 50, 50, 50, 50),
      battery: aBattery({ storedWh: 1000 }),
    });
    const plan = optimalPlan(input);
    expect(sum(slots(plan.chargeWh, 0, 4))).toBeGreaterThan(1800);
    expect(slots(plan.chargeWh, 4, 8)).toEqual([0, 0, 0, 0]);
    expect(slots(plan.dischargeWh, 0, 4)).toEqual([0, 0, 0, 0]);
    // After the step the battery serves the whole load: nothing is bought at 50 (up to rounding).
    expect(Math.max(...slots(plan.importWh, 4, 8))).toBeLessThanOrEqual(1);
    expect(plan.storedWh[7]).toBeLessThan(1000 + 2);
    expect(planObjective(input, plan)).toBeLessThan(planObjective(input, heuristicPlan(input, 'x')));
  });

  it('an EV charges in the cheapest slots before it leaves, not in cheaper ones after', () => {
    const input = aSitePlanInput({
      horizon: 8, buyMinorPerKwh: Float64Array.of(40, 10, 30, 5, 20, 1, 1, 1),
      evs: [anEv({ departureOffset: 4, energyNeededWh: 3000, maxChargeWh: 1000 })],
    });
    expect(Array.from(optimalPlan(input).evWh[0] ?? [])).toEqual([0, 1000, 0, 1000, 1000, 0, 0, 0]);
  });

  it('a heater preheats before a price spike, coasts through it, and keeps the room in its band', () => {
    const buy = flat(24, 10);
    buy.fill(200, 12, 16);
    const input = aSitePlanInput({ horizon: 24, buyMinorPerKwh: buy, heaters: [aHeater(24, { outdoorC: flat(24, -5) })] });
    const plan = optimalPlan(input);
    const heat = plan.heaterWh[0] ?? new Float64Array();
    const temps = plan.indoorC[0] ?? new Float64Array();
    // Full power in the hour before the spike, nothing during it.
    expect(slots(heat, 8, 12)).toEqual([750, 750, 750, 750]);
    expect(slots(heat, 12, 16)).toEqual([0, 0, 0, 0]);
    // It stores just the heat the spike needs: warmest as it starts, at the band's floor as it ends
    // (whole-Wh rounding may leave it a few mK below: comfort is soft).
    expect(Math.max(...slots(temps, 4, 24))).toBe(temps[11]);
    expect(temps[15]).toBeCloseTo(20, 2);
    expect(Math.min(...temps)).toBeGreaterThan(20 - 1e-2);
    expect(Math.max(...temps)).toBeLessThan(22);
  });

  it('a washer starts at the cheapest start that fits under the import limit', () => {
    const base = flat(8, 200);
    base[3] = 500;
    const input = aSitePlanInput({
      horizon: 8, baseLoadWh: base, importLimitWh: 600, buyMinorPerKwh: Float64Array.of(30, 30, 30, 10, 10, 10, 20, 30),
      washers: [aWasher({ readyOffset: 0, latestStartOffset: 5, cycleWh: [400, 400] })],
    });
    const plan = optimalPlan(input);
    expect(plan.washerStartOffset).toEqual([4]);
    expect(Math.max(...plan.importWh)).toBeLessThanOrEqual(600);
  });

  it('keeps under the import limit every slot and prefers unmet EV energy to import beyond the allowance', () => {
    const input = aSitePlanInput({
      horizon: 4, importLimitWh: 1500, importAllowanceWh: 2000,
      evs: [anEv({ departureOffset: 3, energyNeededWh: 5000, maxChargeWh: 2750 })],
    });
    const plan = optimalPlan(input);
    expect(Math.max(...plan.importWh)).toBeLessThanOrEqual(1500);
    // 800 Wh of base load leave 1200 Wh of the allowance for the car (its 200/kWh is below over-import's 500).
    expect(sum(plan.evWh[0] ?? [])).toBeGreaterThanOrEqual(1199);
    expect(sum(plan.importWh)).toBeLessThanOrEqual(2000);
  });

  it('never imports and exports in one slot, even where selling pays more than buying', () => {
    const input = aSitePlanInput({
      horizon: 4, baseLoadWh: flat(4, 300), sellMinorPerKwh: Float64Array.of(5, 5, 60, 5), buyMinorPerKwh: flat(4, 30),
      battery: aBattery({ storedWh: 5000 }),
    });
    const plan = optimalPlan(input);
    expect(plan.dischargeWh[2]).toBe(1250);
    expect(plan.exportWh[2]).toBe(950);
    plan.importWh.forEach((imp, t) => expect(imp === 0 || plan.exportWh[t] === 0).toBe(true));
  });

  it('shaves the peak import when the peak is priced', () => {
    const base = Float64Array.of(100, 1900, 100, 1900);
    const flatter = optimalPlan(aSitePlanInput({ horizon: 4, baseLoadWh: base, peakMinorPerKwh: 100, battery: aBattery({ storedWh: 1000, floorWh: 1000 }) }));
    expect(Math.max(...flatter.importWh)).toBeLessThan(1200);
  });

  it('falls back to the heuristic when HiGHS reaches its time limit', () => {
    const T = 96;
    const input = aSitePlanInput({
      horizon: T, battery: aBattery(), evs: [anEv({ departureOffset: 60, energyNeededWh: 20_000 })], heaters: [aHeater(T)],
      washers: [aWasher({ latestStartOffset: 80 })], buyMinorPerKwh: Float64Array.from({ length: T }, (_, t) => 20 + 10 * Math.sin(t / 7)),
    });
    const plan = planSite(input, solver, { timeLimitMs: 1e-3 });
    expect(plan).toMatchObject({ source: 'heuristic', fallbackReason: 'time-limit' });
    expect(checkPlan(input, plan)).toEqual([]);
  });
});
