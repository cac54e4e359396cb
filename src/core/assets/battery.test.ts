import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { ScenarioError } from '../errors.js';
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { aContext } from './asset-context.fixture.js';
import { createBattery } from './battery.js';

type BatterySpec = AssetSpecOf<'battery'>;

function aBatterySpec(overrides: Partial<BatterySpec> = {}): BatterySpec {
  return {
    kind: 'battery', capacityKwh: 10, maxChargeKw: 5, maxDischargeKw: 5, roundTripEfficiencyPct: 90,
    socMinPct: 10, socMaxPct: 95, initialSocPct: 50, gridForming: false, ...overrides,
  };
}

const aBattery = (overrides: Partial<BatterySpec> = {}) => createBattery(aBatterySpec(overrides), aContext({ id: 'bat-1' }));

describe('battery', () => {
  it('starts at the initial state of charge', () => {
    const battery = aBattery({ capacityKwh: 10, initialSocPct: 50 });
    expect(battery.capacityWh).toBe(10_000);
    expect(battery.storedWh).toBe(5_000);
    expect(battery.usableWh).toBe(4_000);
    expect(battery.socPct()).toBe(50);
  });

  it('loses √η on charge and returns the loss', () => {
    const battery = aBattery({ roundTripEfficiencyPct: 81 });
    const loss = battery.charge(1000, 0.25);
    expect(battery.storedWh).toBe(5_900);
    expect(loss).toBe(100);
  });

  it('removes bus/√η on discharge and returns the loss', () => {
    const battery = aBattery({ roundTripEfficiencyPct: 81 });
    const loss = battery.discharge(900, 0.25);
    expect(battery.storedWh).toBe(4_000);
    expect(loss).toBe(100);
  });

  it('limits charge and discharge by power per slot', () => {
    const battery = aBattery({ maxChargeKw: 3, maxDischargeKw: 2 });
    expect(battery.maxChargeWh(0.25)).toBe(750);
    expect(battery.maxDischargeWh(0.25)).toBe(500);
  });

  it('limits charge by the SoC ceiling and discharge by the SoC floor', () => {
    const full = aBattery({ maxChargeKw: 100, initialSocPct: 94, roundTripEfficiencyPct: 100 });
    expect(full.maxChargeWh(1)).toBe(100);
    const empty = aBattery({ maxDischargeKw: 100, initialSocPct: 11, roundTripEfficiencyPct: 100 });
    expect(empty.maxDischargeWh(1)).toBe(100);
  });

  it('charging exactly the maximum reaches but never crosses the ceiling', () => {
    const battery = aBattery({ maxChargeKw: 100, initialSocPct: 90 });
    battery.charge(battery.maxChargeWh(1), 1);
    expect(battery.storedWh).toBeLessThanOrEqual(9_500);
    expect(battery.storedWh).toBeGreaterThanOrEqual(9_499);
    expect(battery.maxChargeWh(1)).toBeLessThanOrEqual(2);
  });

  it('error: never charges above the SoC ceiling', () => {
    const battery = aBattery({ maxChargeKw: 100, initialSocPct: 90 });
    expect(() => battery.charge(battery.maxChargeWh(1) + 1, 1)).toThrow(InvariantError);
  });

  it('error: never discharges below the SoC floor', () => {
    const battery = aBattery({ maxDischargeKw: 100, initialSocPct: 20 });
    expect(() => battery.discharge(battery.maxDischargeWh(1) + 1, 1)).toThrow(InvariantError);
  });

  it('error: rejects negative and fractional energies', () => {
    const battery = aBattery();
    expect(() => battery.charge(-1, 0.25)).toThrow(InvariantError);
    expect(() => battery.discharge(10.5, 0.25)).toThrow(InvariantError);
  });

  it('is empty and powerless once destroyed', () => {
    const battery = aBattery({ gridForming: true });
    expect(battery.gridForming).toBe(true);
    battery.destroy();
    expect(battery.storedWh).toBe(0);
    expect(battery.usableWh).toBe(0);
    expect(battery.maxChargeWh(0.25)).toBe(0);
    expect(battery.maxDischargeWh(0.25)).toBe(0);
    expect(battery.charge(0, 0.25)).toBe(0);
    expect(() => battery.charge(1, 0.25)).toThrow(InvariantError);
  });

  it('error: rejects an initial SoC outside the floor and ceiling', () => {
    expect(() => aBattery({ socMinPct: 20, initialSocPct: 10 })).toThrow(ScenarioError);
    expect(() => aBattery({ socMinPct: 80, socMaxPct: 70, initialSocPct: 75 })).toThrow(ScenarioError);
  });
});

const specArb = fc.record({
  capacityKwh: fc.double({ min: 0.5, max: 2000, noNaN: true }),
  maxChargeKw: fc.double({ min: 0.1, max: 1000, noNaN: true }),
  maxDischargeKw: fc.double({ min: 0.1, max: 1000, noNaN: true }),
  roundTripEfficiencyPct: fc.double({ min: 50, max: 100, noNaN: true }),
  socMinPct: fc.integer({ min: 0, max: 40 }),
  socMaxPct: fc.integer({ min: 60, max: 100 }),
  initialSocPct: fc.integer({ min: 40, max: 60 }),
});
/** One step: charge or discharge a fraction (possibly all) of what the battery allows this slot. */
const stepArb = fc.record({
  charge: fc.boolean(),
  fraction: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  slotMinutes: fc.integer({ min: 1, max: 60 }),
});

describe('battery properties', () => {
  it('stored energy never leaves [floor, ceiling] and bus energy = Δstored + loss exactly', () => {
    fc.assert(fc.property(specArb, fc.array(stepArb, { maxLength: 60 }), (spec, steps) => {
      const battery = aBattery(spec);
      const floorWh = Math.ceil((battery.capacityWh * spec.socMinPct) / 100);
      const ceilingWh = Math.floor((battery.capacityWh * spec.socMaxPct) / 100);
      const initialWh = battery.storedWh;
      let netBusInWh = 0;
      let lossWh = 0;
      for (const step of steps) {
        const slotHours = step.slotMinutes / 60;
        const maxWh = step.charge ? battery.maxChargeWh(slotHours) : battery.maxDischargeWh(slotHours);
        const energyWh = Math.floor(maxWh * step.fraction);
        if (step.charge) {
          lossWh += battery.charge(energyWh, slotHours);
          netBusInWh += energyWh;
        } else {
          lossWh += battery.discharge(energyWh, slotHours);
          netBusInWh -= energyWh;
        }
        expect(Number.isSafeInteger(battery.storedWh)).toBe(true);
        expect(battery.storedWh).toBeGreaterThanOrEqual(floorWh);
        expect(battery.storedWh).toBeLessThanOrEqual(ceilingWh);
      }
      expect(netBusInWh).toBe(battery.storedWh - initialWh + lossWh);
      expect(lossWh).toBeGreaterThanOrEqual(0);
    }));
  });

  it('a round trip loses about (1 − η) of the energy taken from the bus', () => {
    fc.assert(fc.property(fc.double({ min: 50, max: 100, noNaN: true }), fc.integer({ min: 1_000, max: 80_000 }), (eta, inWh) => {
      const battery = aBattery({ capacityKwh: 200, maxChargeKw: 1000, maxDischargeKw: 1000, roundTripEfficiencyPct: eta, socMinPct: 0, socMaxPct: 100, initialSocPct: 50 });
      const before = battery.storedWh;
      battery.charge(inWh, 1);
      let outWh = 0;
      // Drain exactly what was added: the largest bus energy whose removal keeps stored >= before.
      while (battery.storedWh > before) {
        const excess = battery.storedWh - before;
        const wh = Math.min(battery.maxDischargeWh(1), Math.floor(excess * Math.sqrt(eta / 100)));
        if (wh === 0) break;
        battery.discharge(wh, 1);
        outWh += wh;
      }
      expect(outWh / inWh).toBeCloseTo(eta / 100, 2);
    }));
  });
});
