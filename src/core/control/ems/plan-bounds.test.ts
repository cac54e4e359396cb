import { describe, expect, it } from 'vitest';
import { planBounds, washerWhAt } from './plan-bounds.js';
import { aBattery, anEv, aSitePlanInput, aWasher, flat } from './site-plan-input.fixture.js';

describe('plan bounds', () => {
  it('caps import at the connection limit, or at the base load\'s own shortfall where that is higher', () => {
    const input = aSitePlanInput({ horizon: 3, importLimitWh: 500, baseLoadWh: Float64Array.from([100, 900, 900]), generationWh: Float64Array.from([0, 0, 600]) });
    expect(Array.from(planBounds(input).importCapWh)).toEqual([500, 900, 500]);
  });

  it('widens the battery band to a start outside it, and floors power limits to whole Wh', () => {
    const b = planBounds(aSitePlanInput({ battery: aBattery({ storedWh: 500, floorWh: 1000, maxChargeWh: 1250.7 }) })).battery;
    expect(b).toEqual({ floorWh: 500, ceilingWh: 9000, maxChargeWh: 1250, maxDischargeWh: 1250 });
  });

  describe('EV need inside the horizon', () => {
    const needOf = (ev: Parameters<typeof anEv>[0]) => planBounds(aSitePlanInput({ horizon: 8, evs: [anEv(ev)] })).evs[0];

    it('is the whole need when it leaves inside the horizon', () => {
      expect(needOf({ departureOffset: 5, energyNeededWh: 3000 })).toMatchObject({ firstSlot: 0, lastSlot: 5, needInsideWh: 3000, totalMaxWh: 3000 });
    });

    it('is pro rata by available slots when it leaves after the horizon', () => {
      // 8 slots inside, 8 after: half the need.
      expect(needOf({ departureOffset: 15, energyNeededWh: 4000 })?.needInsideWh).toBe(2000);
    });

    it('is at least what could not be delivered after the horizon', () => {
      // 2 slots after at 1000 Wh: at least 8000 − 2000 must come inside; pro rata asks 8000·8/10.
      expect(needOf({ departureOffset: 9, energyNeededWh: 8000, maxChargeWh: 1000 })?.needInsideWh).toBe(6400);
    });

    it('is no more than fits inside, and 0 when it is not here in the horizon', () => {
      expect(needOf({ departureOffset: 5, energyNeededWh: 30_000, maxChargeWh: 1000 })?.needInsideWh).toBe(6000);
      expect(needOf({ availableFromOffset: 9, departureOffset: 20 })?.needInsideWh).toBe(0);
      expect(needOf({ departureOffset: -1 })?.needInsideWh).toBe(0);
    });
  });

  describe('washer options', () => {
    const washerOf = (w: Parameters<typeof aWasher>[0]) =>
      planBounds(aSitePlanInput({ horizon: 8, buyMinorPerKwh: flat(8, 40), washers: [aWasher(w)] })).washers[0];

    it('may be missed (penalised) when its deadline is inside the horizon', () => {
      expect(washerOf({ readyOffset: 1, latestStartOffset: 3 })).toMatchObject({ firstStart: 1, lastStart: 3, outside: 'missed', outsideCostMinor: 400 });
    });

    it('may start later (at the mean price) when its deadline is beyond, and prices the tail after the horizon', () => {
      const wb = washerOf({ readyOffset: 2, latestStartOffset: 20 });
      expect(wb).toMatchObject({ firstStart: 2, lastStart: 7, outside: 'later', outsideCostMinor: 80 });
      // Started in the last slot, 3 of its 4 slots fall after the horizon.
      expect(wb?.tailCostMinor[5]).toBe(60);
      expect(wb?.tailCostMinor[0]).toBe(0);
    });

    it('starts now when it is past its latest start, and has no start inside when it is ready after the horizon', () => {
      expect(washerOf({ readyOffset: -5, latestStartOffset: -2 })).toMatchObject({ firstStart: 0, lastStart: 0, outside: 'missed' });
      const late = washerOf({ readyOffset: 9, latestStartOffset: 12 });
      expect(late && late.lastStart < late.firstStart).toBe(true);
    });

    it('draws its cycle from its start', () => {
      const w = aWasher({ cycleWh: [1, 2, 3] });
      expect([0, 1, 2, 3, 4, 5].map((t) => washerWhAt(w, 2, t))).toEqual([0, 0, 1, 2, 3, 0]);
      expect(washerWhAt(w, -1, 3)).toBe(0);
    });
  });
});
