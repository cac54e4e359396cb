import { describe, expect, it } from 'vitest';
import { checkSitePlanInput, SitePlanInputError } from './site-plan-input-check.js';
import { aBattery, aHeater, anEv, aSitePlanInput, aWasher, flat } from './site-plan-input.fixture.js';

function problemsOf(input: Parameters<typeof checkSitePlanInput>[0]): readonly string[] {
  try {
    checkSitePlanInput(input);
    return [];
  } catch (e) {
    if (e instanceof SitePlanInputError) return e.details;
    throw e;
  }
}

describe('site plan input check', () => {
  it('accepts a site with every kind of device', () => {
    const input = aSitePlanInput({ battery: aBattery(), evs: [anEv()], heaters: [aHeater(8)], washers: [aWasher()] });
    expect(checkSitePlanInput(input)).toBe(input);
  });

  it('error: names the path and what was expected', () => {
    expect(problemsOf(aSitePlanInput({ horizon: 0 }))).toEqual(['horizon: expected a whole number from 1 to 2016, got 0']);
    expect(problemsOf(aSitePlanInput({ baseLoadWh: Float64Array.from([1, 2, -3, 4, 5, 6, 7, 8]) })))
      .toEqual(['baseLoadWh[2]: expected a finite number ≥ 0, got -3']);
    expect(problemsOf(aSitePlanInput({ buyMinorPerKwh: flat(3, 1) }))).toEqual(['buyMinorPerKwh: expected at least 8 values, got 3']);
    expect(problemsOf(aSitePlanInput({ battery: aBattery({ chargeEfficiency: 0 }) })))
      .toEqual(['battery.chargeEfficiency: expected a number in (0, 1], got 0']);
    expect(problemsOf(aSitePlanInput({ evs: [anEv({ availableFromOffset: 1.5 })] })))
      .toEqual(['evs[0].availableFromOffset: expected a whole number ≥ 0, got 1.5']);
    expect(problemsOf(aSitePlanInput({ heaters: [aHeater(8, { decay: 1 })] }))).toEqual(['heaters[0].decay: expected a number in (0, 1), got 1']);
    expect(problemsOf(aSitePlanInput({ washers: [aWasher({ cycleWh: [100, 0.5] })] })))
      .toEqual(['washers[0].cycleWh[1]: expected a whole number of Wh ≥ 0, got 0.5']);
    expect(problemsOf(aSitePlanInput({ washers: [aWasher({ readyOffset: 5, latestStartOffset: 4 })] })))
      .toEqual(['washers[0].latestStartOffset: expected a whole number ≥ readyOffset, got 4']);
    expect(problemsOf(aSitePlanInput({ importLimitWh: NaN }))).toEqual(['importLimitWh: expected a number ≥ 0 or Infinity, got NaN']);
  });

  it('error: lists every problem, and bounds the devices per kind', () => {
    const problems = problemsOf(aSitePlanInput({ slotHours: 0, evs: Array.from({ length: 17 }, () => anEv()) }));
    expect(problems).toEqual(['slotHours: expected a finite number > 0, got 0']);
    expect(problemsOf(aSitePlanInput({ evs: Array.from({ length: 17 }, () => anEv()), importAllowanceWh: -1 })))
      .toEqual(['importAllowanceWh: expected a number ≥ 0 or Infinity, got -1', 'evs: expected at most 16 devices, got 17']);
  });
});
