import { describe, expect, it } from 'vitest';
import { checkPlan } from './check-plan.js';
import { heuristicPlan } from './heuristic-plan.js';
import { aBattery, aHeater, anEv, aSitePlanInput, aWasher } from './site-plan-input.fixture.js';
import type { SitePlan } from './site-plan.js';

const input = aSitePlanInput({
  horizon: 8, importLimitWh: 5000, generationWh: Float64Array.from([0, 0, 3000, 3000, 0, 0, 0, 0]),
  battery: aBattery(), evs: [anEv({ availableFromOffset: 1, departureOffset: 5 })], heaters: [aHeater(8)],
  washers: [aWasher({ readyOffset: 1, latestStartOffset: 3, cycleWh: [300, 300] })],
});
const valid = heuristicPlan(input, 'test');

/** A copy of the valid plan with one series changed at one slot (and the rest as it was). */
function withValue(key: 'importWh' | 'exportWh' | 'curtailWh' | 'chargeWh' | 'dischargeWh' | 'storedWh', t: number, value: number): SitePlan {
  const a = Float64Array.from(valid[key]);
  a[t] = value;
  return { ...valid, [key]: a };
}

function withEv(t: number, value: number): SitePlan {
  const a = Float64Array.from(valid.evWh[0] ?? []);
  a[t] = value;
  return { ...valid, evWh: [a] };
}

describe('check plan', () => {
  it('passes a valid plan', () => {
    expect(checkPlan(input, valid)).toEqual([]);
  });

  it('error: a slot that does not balance', () => {
    expect(checkPlan(input, withValue('importWh', 0, (valid.importWh[0] as number) + 5))).toEqual([expect.stringMatching(/^slot 0: supply .* ≠ use/)]);
  });

  it('error: import above the limit', () => {
    const big = aSitePlanInput({ ...input, importLimitWh: 100 });
    expect(checkPlan(big, valid).some((v) => /imports .* above the limit 200 Wh/.test(v))).toBe(true);
  });

  it('error: importing and exporting in one slot, negative flows, curtailing more than generated', () => {
    const both = withValue('exportWh', 0, 10);
    expect(checkPlan(input, { ...both, importWh: Float64Array.from(valid.importWh, (x, t) => (t === 0 ? x + 10 : x)) }))
      .toEqual([expect.stringMatching(/^slot 0: imports .* and exports 10 Wh/)]);
    expect(checkPlan(input, withValue('curtailWh', 0, 5))).toContain('slot 0: curtails 5 Wh of 0 Wh generated');
    expect(checkPlan(input, withValue('exportWh', 1, -1))).toContain('slot 1: negative import, export or curtailment');
  });

  it('error: battery energy that is fractional, above its power, or both ways in one slot', () => {
    expect(checkPlan(input, withValue('chargeWh', 5, 0.5))).toContain('chargeWh[5] = 0.5: expected whole Wh ≥ 0');
    expect(checkPlan(input, withValue('dischargeWh', 5, 1251))).toContain('dischargeWh[5] = 1251 Wh above its limit 1250 Wh');
    const both = { ...withValue('chargeWh', 6, 10), dischargeWh: Float64Array.from(valid.dischargeWh, (x, t) => (t === 6 ? 10 : x)) };
    expect(checkPlan(input, both)).toContain('slot 6: battery charges 10 Wh and discharges 10 Wh');
  });

  it('error: stored energy that does not follow the battery model or leaves the band', () => {
    expect(checkPlan(input, withValue('storedWh', 0, 1))).toContain(`storedWh[0] = 1, the battery model gives ${valid.storedWh[0]}`);
    const one = aSitePlanInput({ horizon: 1, battery: aBattery({ storedWh: 1200, floorWh: 1000, chargeEfficiency: 1, dischargeEfficiency: 1 }) });
    const drain: SitePlan = {
      ...heuristicPlan(one, 'x'),
      dischargeWh: Float64Array.of(1000), storedWh: Float64Array.of(200), exportWh: Float64Array.of(800), importWh: Float64Array.of(0),
    };
    expect(checkPlan(one, drain)).toEqual(['storedWh[0] = 200 outside [1000, 9000]']);
  });

  it('error: an EV charging while away, above its power, or beyond its need', () => {
    expect(checkPlan(input, withEv(0, 100))).toContain('evWh[0][0] = 100 Wh above its limit 0 Wh');
    expect(checkPlan(input, withEv(6, 100))).toContain('evWh[0][6] = 100 Wh above its limit 0 Wh');
    const greedy = { ...valid, evWh: [Float64Array.from([0, 2750, 2750, 0, 0, 0, 0, 0])] };
    expect(checkPlan(input, greedy)).toContain('evWh[0]: 5500 Wh in total, more than the 3000 Wh it needs');
  });

  it('error: temperatures that do not follow the building model', () => {
    const temps = Float64Array.from(valid.indoorC[0] ?? []);
    temps[3] = (temps[3] as number) + 0.1;
    expect(checkPlan(input, { ...valid, indoorC: [temps] })).toEqual([expect.stringMatching(/^indoorC\[0\]\[3\] = .*, the building model gives/)]);
  });

  it('error: a washer started outside its window', () => {
    expect(checkPlan(input, { ...valid, washerStartOffset: [5] })).toContain('washer 0 starts at 5, outside its window [1, 3]');
  });

  it('error: series of the wrong length or count', () => {
    expect(checkPlan(input, { ...valid, importWh: new Float64Array(3) })).toEqual(['importWh: 3 slots, expected 8']);
    expect(checkPlan(input, { ...valid, evWh: [] })).toEqual(['evWh: 0 EVs, expected 1']);
    expect(checkPlan(input, withValue('importWh', 2, NaN))).toEqual(['importWh: a value is not finite']);
  });
});
