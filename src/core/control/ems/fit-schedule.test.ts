import { describe, expect, it } from 'vitest';
import { emptySchedule } from './device-schedule.js';
import { fitScheduleToLimits } from './fit-schedule.js';
import { planBounds } from './plan-bounds.js';
import { aBattery, aHeater, anEv, aSitePlanInput, aWasher } from './site-plan-input.fixture.js';
import type { SitePlanInput } from './site-plan-input.js';

const lossless = aBattery({ storedWh: 1500, floorWh: 1000, ceilingWh: 2000, chargeEfficiency: 1, dischargeEfficiency: 1 });

function fit(input: SitePlanInput, set: (s: ReturnType<typeof emptySchedule>) => void): ReturnType<typeof emptySchedule> {
  const s = emptySchedule(input);
  set(s);
  return fitScheduleToLimits(input, planBounds(input), s);
}

describe('fit schedule to limits', () => {
  it('nets a slot that charges and discharges into one setpoint', () => {
    const s = fit(aSitePlanInput({ horizon: 2, battery: lossless }), (s) => {
      s.chargeWh.set([300, 100]);
      s.dischargeWh.set([100, 300]);
    });
    expect(Array.from(s.chargeWh)).toEqual([200, 0]);
    expect(Array.from(s.dischargeWh)).toEqual([0, 200]);
  });

  it('cuts discharge at the floor and charge at the ceiling', () => {
    const s = fit(aSitePlanInput({ horizon: 3, battery: lossless }), (s) => {
      s.dischargeWh.set([400, 400, 0]);
      s.chargeWh.set([0, 0, 1250]);
    });
    expect(Array.from(s.dischargeWh)).toEqual([400, 100, 0]);
    expect(Array.from(s.chargeWh)).toEqual([0, 0, 1000]);
  });

  it('sheds battery charge, then heating, then EV charging above the import cap', () => {
    const input = aSitePlanInput({ horizon: 1, importLimitWh: 1000, battery: lossless, heaters: [aHeater(1)], evs: [anEv()] });
    const s = fit(input, (s) => {
      s.chargeWh[0] = 300;
      s.heaterWh[0]?.set([400]);
      s.evWh[0]?.set([600]);
    });
    // 200 base + 1300 flexible: 500 too much.
    expect([s.chargeWh[0], s.heaterWh[0]?.[0], s.evWh[0]?.[0]]).toEqual([0, 200, 600]);
  });

  it('raises discharge to cover what shedding cannot, within the floor', () => {
    // A washer's 400 Wh on 200 Wh of base load, under a 300 Wh limit: 300 Wh from the battery.
    const input = aSitePlanInput({ horizon: 1, importLimitWh: 300, battery: lossless, washers: [aWasher({ cycleWh: [400] })] });
    expect(Array.from(fit(input, (s) => { s.washerStartOffset[0] = 0; }).dischargeWh)).toEqual([300]);
    const low = aSitePlanInput({ ...input, battery: { ...lossless, storedWh: 1100 } });
    expect(Array.from(fit(low, (s) => { s.washerStartOffset[0] = 0; }).dischargeWh)).toEqual([100]);
  });

  it('zeroes battery energy on a site without a battery', () => {
    const s = fit(aSitePlanInput({ horizon: 1 }), (s) => { s.chargeWh[0] = 5; });
    expect(s.chargeWh[0]).toBe(0);
  });
});
