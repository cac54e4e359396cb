import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlan } from './check-plan.js';
import { heuristicPlan } from './heuristic-plan.js';
import { aBattery, aHeater, anEv, arbSitePlanInput, aSitePlanInput, aWasher, flat } from './site-plan-input.fixture.js';

const prices = (...values: number[]): Float64Array => Float64Array.from(values);

describe('heuristic plan', () => {
  it('serves the base load from generation and exports the rest', () => {
    const input = aSitePlanInput({ horizon: 2, baseLoadWh: prices(200, 200), generationWh: prices(500, 100) });
    const plan = heuristicPlan(input, 'test');
    expect(plan.source).toBe('heuristic');
    expect(plan.fallbackReason).toBe('test');
    expect(Array.from(plan.exportWh)).toEqual([300, 0]);
    expect(Array.from(plan.importWh)).toEqual([0, 100]);
    expect(plan.costMinor).toBeCloseTo((30 * 100 - 8 * 300) / 1000, 12);
  });

  it('curtails instead of exporting when selling costs money', () => {
    const input = aSitePlanInput({ horizon: 1, baseLoadWh: prices(100), generationWh: prices(500), sellMinorPerKwh: prices(-2) });
    const plan = heuristicPlan(input, 'test');
    expect(plan.curtailWh[0]).toBe(400);
    expect(plan.exportWh[0]).toBe(0);
  });

  it('charges an EV in its cheapest slots before departure', () => {
    const input = aSitePlanInput({
      horizon: 6, buyMinorPerKwh: prices(40, 10, 30, 5, 20, 1),
      evs: [anEv({ departureOffset: 4, energyNeededWh: 3000, maxChargeWh: 1000 })],
    });
    expect(Array.from(heuristicPlan(input, 'test').evWh[0] ?? [])).toEqual([0, 1000, 0, 1000, 1000, 0]);
  });

  it('charges an EV as soon as possible when prices are flat', () => {
    const input = aSitePlanInput({ horizon: 4, evs: [anEv({ departureOffset: 3, energyNeededWh: 1500, maxChargeWh: 1000 })] });
    expect(Array.from(heuristicPlan(input, 'test').evWh[0] ?? [])).toEqual([1000, 500, 0, 0]);
  });

  it('starts a washer at its cheapest feasible start', () => {
    const input = aSitePlanInput({
      horizon: 8, buyMinorPerKwh: prices(30, 30, 30, 10, 10, 10, 10, 30),
      importLimitWh: 600, baseLoadWh: prices(200, 200, 200, 200, 200, 200, 200, 200).map((x, t) => (t === 3 ? 500 : x)),
      washers: [aWasher({ readyOffset: 0, latestStartOffset: 5, cycleWh: [400, 400] })],
    });
    // Starting at 3 is cheapest but slot 3 has no room under the 600 Wh limit.
    expect(heuristicPlan(input, 'test').washerStartOffset).toEqual([4]);
  });

  it('charges the battery from surplus and discharges it when buying costs more than the median', () => {
    const input = aSitePlanInput({
      horizon: 4, baseLoadWh: prices(200, 500, 500, 500), generationWh: prices(1200, 0, 0, 0),
      buyMinorPerKwh: prices(30, 10, 50, 20), battery: aBattery({ chargeEfficiency: 1, dischargeEfficiency: 1 }),
    });
    const plan = heuristicPlan(input, 'test');
    expect(Array.from(plan.chargeWh)).toEqual([1000, 0, 0, 0]);
    expect(Array.from(plan.dischargeWh)).toEqual([0, 0, 500, 0]);
    expect(Array.from(plan.storedWh)).toEqual([6000, 6000, 5500, 5500]);
  });

  it('heats towards the middle of the band', () => {
    const input = aSitePlanInput({ horizon: 16, heaters: [aHeater(16, { indoorC: 20 })] });
    const temps = heuristicPlan(input, 'test').indoorC[0] ?? new Float64Array();
    expect(temps[15]).toBeCloseTo(21, 1);
    expect(Math.min(...temps)).toBeGreaterThanOrEqual(20);
  });

  it('keeps flexible loads under the import limit, leaving soft goals unmet when it must', () => {
    const input = aSitePlanInput({
      horizon: 4, importLimitWh: 700, evs: [anEv({ departureOffset: 3, energyNeededWh: 5000, maxChargeWh: 2000 })],
    });
    const plan = heuristicPlan(input, 'test');
    expect(Math.max(...plan.importWh)).toBe(700);
    expect(Array.from(plan.evWh[0] ?? [])).toEqual([500, 500, 500, 500]);
    expect(checkPlan(input, plan)).toEqual([]);
  });

  it('property: keeps every hard constraint on random sites', () => {
    fc.assert(fc.property(arbSitePlanInput({ maxHorizon: 48 }), (input) => {
      expect(checkPlan(input, heuristicPlan(input, 'test'))).toEqual([]);
    }), { seed: 6, numRuns: 300 });
  });

  it('is deterministic', () => {
    const input = aSitePlanInput({ horizon: 8, battery: aBattery(), evs: [anEv()], heaters: [aHeater(8)], washers: [aWasher()], buyMinorPerKwh: flat(8, 20) });
    expect(heuristicPlan(input, 'a')).toEqual(heuristicPlan(input, 'a'));
  });
});
