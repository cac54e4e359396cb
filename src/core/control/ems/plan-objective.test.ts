import { describe, expect, it } from 'vitest';
import { heuristicPlan } from './heuristic-plan.js';
import { planObjective } from './plan-objective.js';
import { aBattery, aHeater, anEv, aSitePlanInput, aWasher, flat } from './site-plan-input.fixture.js';
import type { SitePlan } from './site-plan.js';

describe('plan objective', () => {
  it('is the energy cost at the meter for a site without devices', () => {
    const input = aSitePlanInput({ horizon: 2, generationWh: Float64Array.of(0, 500) });
    // 200 Wh bought at 30, 300 Wh sold at 8.
    expect(planObjective(input, heuristicPlan(input, 'x'))).toBeCloseTo((200 * 30 - 300 * 8) / 1000, 12);
  });

  it('adds wear, less the value of the energy left stored', () => {
    const input = aSitePlanInput({
      horizon: 1, baseLoadWh: flat(1, 0), generationWh: flat(1, 1000), sellMinorPerKwh: flat(1, 0),
      battery: aBattery({ chargeEfficiency: 1, dischargeEfficiency: 1, wearMinorPerKwh: 2 }), storedValueMinorPerKwh: 10,
    });
    const plan = heuristicPlan(input, 'x');
    expect(plan.chargeWh[0]).toBe(1000);
    expect(planObjective(input, plan)).toBeCloseTo(2 - 60, 12);
  });

  it('prices unmet EV energy, comfort, over-import and the peak', () => {
    const input = aSitePlanInput({
      horizon: 2, importAllowanceWh: 300, peakMinorPerKwh: 100,
      evs: [anEv({ departureOffset: 1, energyNeededWh: 1000, maxChargeWh: 1000 })],
      heaters: [aHeater(2, { indoorC: 19, ratedWh: 0 })],
      penalties: { unmetEvMinorPerKwh: 200, comfortMinorPerKelvinSlot: 20, overImportMinorPerKwh: 500 },
    });
    const plan: SitePlan = {
      ...heuristicPlan(input, 'x'),
      evWh: [Float64Array.of(0, 0)], importWh: Float64Array.of(200, 200),
    };
    const temps = plan.indoorC[0] ?? new Float64Array();
    const comfort = 20 * ((20 - (temps[0] as number)) + (20 - (temps[1] as number)));
    const expected = (400 * 30) / 1000 + 200 + comfort + (100 * 500) / 1000 + (200 * 100) / 1000;
    expect(planObjective(input, plan)).toBeCloseTo(expected, 9);
  });

  it('prices a washer that does not start: later at the mean price, missed at the penalty', () => {
    const later = aSitePlanInput({ horizon: 2, buyMinorPerKwh: Float64Array.of(10, 30), washers: [aWasher({ latestStartOffset: 5, cycleWh: [1000] })] });
    const missed = aSitePlanInput({ horizon: 2, washers: [aWasher({ latestStartOffset: 1, cycleWh: [1000] })] });
    const idle = (input: typeof later): SitePlan => ({ ...heuristicPlan(input, 'x'), washerStartOffset: [-1], importWh: flat(2, 200) });
    expect(planObjective(later, idle(later))).toBeCloseTo((200 * 10 + 200 * 30) / 1000 + 20, 12);
    expect(planObjective(missed, idle(missed))).toBeCloseTo((400 * 30) / 1000 + 200, 12);
  });
});
