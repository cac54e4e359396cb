import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRITICAL, ESSENTIAL, NORMAL, SlotBuffers } from '../sim/slot-buffers.js';
import { selfConsume } from './self-consumption.js';

interface SiteInputs {
  pvWh: number;
  windWh: number;
  chpMinWh: number;
  /** Demand per class: critical, essential, normal. */
  demandWh: [number, number, number];
  deferrableWh: number;
  maxChargeWh: number;
  maxDischargeWh: number;
  usableWh: number;
  reserveWh: number;
  /** The EMS's battery setpoint (NaN = none). */
  planWh: number;
}

const noSite: SiteInputs = {
  pvWh: 0, windWh: 0, chpMinWh: 0, demandWh: [0, 0, 0], deferrableWh: 0,
  maxChargeWh: 0, maxDischargeWh: 0, usableWh: 0, reserveWh: 0, planWh: NaN,
};

/** A one-site buffer with the given inputs, after `selfConsume` ran on it. */
function aSite(inputs: Partial<SiteInputs>, island = false): SlotBuffers {
  const s = { ...noSite, ...inputs };
  const b = new SlotBuffers(1);
  b.pvWh[0] = s.pvWh; b.windWh[0] = s.windWh; b.chpMinWh[0] = s.chpMinWh; b.chpMaxWh[0] = s.chpMinWh;
  b.demandWh.forEach((d, c) => { d[0] = s.demandWh[c] as number; });
  b.deferrableWh[0] = s.deferrableWh;
  b.batteryMaxChargeWh[0] = s.maxChargeWh; b.batteryMaxDischargeWh[0] = s.maxDischargeWh;
  b.batteryUsableWh[0] = s.usableWh; b.batteryReserveWh[0] = s.reserveWh; b.batteryPlanWh[0] = s.planWh;
  selfConsume(b, 0, island);
  return b;
}

const imports = (b: SlotBuffers): number[] => [b.importWh[CRITICAL][0], b.importWh[ESSENTIAL][0], b.importWh[NORMAL][0]] as number[];

describe('selfConsume', () => {
  it('serves critical demand from own generation first, then essential, then normal', () => {
    const b = aSite({ pvWh: 100, demandWh: [80, 50, 50] });
    expect(imports(b)).toEqual([0, 30, 50]);
    expect(b.exportWh[0]).toBe(0);
  });

  it('counts PV, wind and the CHP must-run as generation and runs the CHP at its minimum', () => {
    const b = aSite({ pvWh: 10, windWh: 20, chpMinWh: 30, demandWh: [0, 0, 100] });
    expect(imports(b)).toEqual([0, 0, 40]);
    expect(b.chpWh[0]).toBe(30);
  });

  it('covers the deficit from the battery up to its discharge limit, critical first', () => {
    const b = aSite({ demandWh: [100, 100, 100], maxDischargeWh: 250, usableWh: 1_000 });
    expect(b.dischargeWh[0]).toBe(250);
    expect(imports(b)).toEqual([0, 0, 50]);
    expect(b.chargeWh[0]).toBe(0);
  });

  it('charges the battery from surplus, then exports the rest', () => {
    const b = aSite({ pvWh: 500, demandWh: [0, 0, 100], maxChargeWh: 150, maxDischargeWh: 150, usableWh: 1_000 });
    expect(b.chargeWh[0]).toBe(150);
    expect(b.dischargeWh[0]).toBe(0);
    expect(b.exportWh[0]).toBe(250);
    expect(imports(b)).toEqual([0, 0, 0]);
  });

  it('does not charge while the battery discharges', () => {
    const b = aSite({ pvWh: 50, demandWh: [100, 0, 0], maxChargeWh: 500, maxDischargeWh: 500, usableWh: 500 });
    expect(b.dischargeWh[0]).toBe(50);
    expect(b.chargeWh[0]).toBe(0);
  });

  it('overwrites its decisions when it runs again', () => {
    const b = aSite({ pvWh: 500, demandWh: [0, 0, 100], maxChargeWh: 150 });
    selfConsume(b, 0, false);
    expect(b.chargeWh[0]).toBe(150);
    expect(b.exportWh[0]).toBe(250);
  });

  describe('grid-connected', () => {
    it('lets every class use the whole battery, the reserve does not apply', () => {
      const b = aSite({ demandWh: [100, 100, 100], maxDischargeWh: 1_000, usableWh: 500, reserveWh: 350 });
      expect(b.dischargeWh[0]).toBe(300);
      expect(imports(b)).toEqual([0, 0, 0]);
    });

    it('serves deferrable load from generation before charging, as normal load', () => {
      const b = aSite({ pvWh: 300, demandWh: [0, 0, 100], deferrableWh: 150, maxChargeWh: 100 });
      expect(b.deferrableServedWh[0]).toBe(150);
      expect(b.chargeWh[0]).toBe(50);
      expect(b.exportWh[0]).toBe(0);
    });

    it('serves deferrable load from the battery and imports the rest with the normal class', () => {
      const b = aSite({ deferrableWh: 150, demandWh: [0, 0, 100], maxDischargeWh: 200, usableWh: 1_000 });
      expect(b.dischargeWh[0]).toBe(200);
      expect(b.deferrableServedWh[0]).toBe(150);
      expect(imports(b)).toEqual([0, 0, 50]);
    });
  });

  describe('island', () => {
    it('keeps the reserve for critical load: other classes only use storage above it', () => {
      const b = aSite({ demandWh: [100, 100, 100], maxDischargeWh: 1_000, usableWh: 500, reserveWh: 350 }, true);
      // Critical takes 100 (part of the reserve), essential and normal share the 150 above it.
      expect(b.dischargeWh[0]).toBe(250);
      expect(imports(b)).toEqual([0, 0, 50]);
    });

    it('still serves critical from storage below the reserve, but nothing else', () => {
      const b = aSite({ demandWh: [100, 100, 100], maxDischargeWh: 1_000, usableWh: 300, reserveWh: 400 }, true);
      expect(b.dischargeWh[0]).toBe(100);
      expect(imports(b)).toEqual([0, 100, 100]);
    });

    it('limits non-critical use by the discharge power left after critical', () => {
      const b = aSite({ demandWh: [100, 100, 0], maxDischargeWh: 150, usableWh: 10_000, reserveWh: 0 }, true);
      expect(b.dischargeWh[0]).toBe(150);
      expect(imports(b)).toEqual([0, 50, 0]);
    });

    it('serves deferrable load only from surplus left after charging', () => {
      const b = aSite({ pvWh: 300, demandWh: [0, 0, 100], deferrableWh: 150, maxChargeWh: 100 }, true);
      expect(b.chargeWh[0]).toBe(100);
      expect(b.deferrableServedWh[0]).toBe(100);
      expect(b.deferrableImportWh[0]).toBe(50);
      expect(b.exportWh[0]).toBe(0);
      expect(imports(b)).toEqual([0, 0, 0]);
    });

    it('never discharges storage or imports for deferrable load', () => {
      const b = aSite({ deferrableWh: 100, maxDischargeWh: 1_000, usableWh: 1_000 }, true);
      expect(b.dischargeWh[0]).toBe(0);
      expect(b.deferrableServedWh[0]).toBe(0);
      expect(b.deferrableImportWh[0]).toBe(100);
      expect(imports(b)).toEqual([0, 0, 0]);
    });
  });

  describe('properties', () => {
    const wh = (max: number) => fc.integer({ min: 0, max });
    const inputsArb: fc.Arbitrary<Omit<SiteInputs, 'planWh'>> = fc.record({
      pvWh: wh(5_000), windWh: wh(2_000), chpMinWh: wh(1_000),
      demandWh: fc.tuple(wh(3_000), wh(3_000), wh(3_000)),
      deferrableWh: wh(3_000), maxChargeWh: wh(3_000), maxDischargeWh: wh(3_000),
      usableWh: wh(10_000), reserveWh: wh(10_000),
    });

    it.each([['grid-connected', false], ['island', true]] as const)('%s: conserves energy at the site and respects the battery limits', (_mode, island) => {
      fc.assert(fc.property(inputsArb, (s) => {
        const b = aSite(s, island);
        const [i0, i1, i2] = imports(b) as [number, number, number];
        const charge = b.chargeWh[0] as number;
        const discharge = b.dischargeWh[0] as number;
        const exported = b.exportWh[0] as number;
        const deferrableServed = b.deferrableServedWh[0] as number;
        const demand = s.demandWh[0] + s.demandWh[1] + s.demandWh[2];
        const generation = s.pvWh + s.windWh + s.chpMinWh;
        // Imports serve demand. Grid-connected, the deferrable import sits in the normal class; in an
        // island it is a separate request (`deferrableImportWh`) that nothing supplies yet.
        expect(generation + discharge + i0 + i1 + i2).toBe(demand + deferrableServed + charge + exported);
        if (island) expect(deferrableServed + (b.deferrableImportWh[0] as number)).toBe(s.deferrableWh);
        else expect(deferrableServed).toBe(s.deferrableWh);

        for (const x of [i0, i1, i2, charge, discharge, exported, deferrableServed]) expect(x).toBeGreaterThanOrEqual(0);
        expect(charge === 0 || discharge === 0).toBe(true);
        expect(charge).toBeLessThanOrEqual(s.maxChargeWh);
        expect(discharge).toBeLessThanOrEqual(s.maxDischargeWh);
        expect(b.chpWh[0]).toBe(s.chpMinWh);
        expect(i0).toBeLessThanOrEqual(s.demandWh[0]);
        expect(i1).toBeLessThanOrEqual(s.demandWh[1]);
        // Import only when own generation and the (allowed) battery are exhausted.
        if (i0 > 0) expect(discharge).toBe(s.maxDischargeWh);
        if (exported > 0) {
          expect(i0 + i1 + i2 + (b.deferrableImportWh[0] as number)).toBe(0);
          expect(charge).toBe(s.maxChargeWh);
        }
        if (island) {
          const criticalFromBattery = Math.min(Math.max(0, s.demandWh[0] - generation), s.maxDischargeWh);
          expect(discharge - criticalFromBattery).toBeLessThanOrEqual(Math.max(0, s.usableWh - s.reserveWh));
          // Deferrable load only takes surplus left after charging.
          if (deferrableServed > 0) {
            expect(discharge).toBe(0);
            expect(charge).toBe(s.maxChargeWh);
          }
        }
      }), { seed: 4_242, numRuns: 500 });
    });
  });

  describe('with a battery setpoint planned by the site EMS', () => {
    it('charges the planned energy from surplus first, then from the grid as normal-class import', () => {
      const b = aSite({ pvWh: 300, demandWh: [100, 0, 0], maxChargeWh: 1_000, maxDischargeWh: 1_000, usableWh: 5_000, planWh: 500 });
      expect(b.chargeWh[0]).toBe(500);
      expect(b.gridChargeWh[0]).toBe(300);
      expect(imports(b)).toEqual([0, 0, 300]);
      expect(b.exportWh[0]).toBe(0);
    });

    it('discharges the planned energy to its own load by priority and exports the rest', () => {
      const b = aSite({ demandWh: [100, 50, 0], maxChargeWh: 1_000, maxDischargeWh: 1_000, usableWh: 5_000, planWh: -400 });
      expect(b.dischargeWh[0]).toBe(400);
      expect(imports(b)).toEqual([0, 0, 0]);
      expect(b.exportWh[0]).toBe(250);
    });

    it('keeps the battery idle on a zero setpoint: surplus is exported, the need imported', () => {
      const surplus = aSite({ pvWh: 300, demandWh: [100, 0, 0], maxChargeWh: 1_000, maxDischargeWh: 1_000, usableWh: 5_000, planWh: 0 });
      expect([surplus.chargeWh[0], surplus.exportWh[0]]).toEqual([0, 200]);
      const need = aSite({ demandWh: [100, 0, 0], maxChargeWh: 1_000, maxDischargeWh: 1_000, usableWh: 5_000, planWh: 0 });
      expect([need.dischargeWh[0], need.importWh[CRITICAL][0]]).toEqual([0, 100]);
    });

    it('never goes beyond this slot\'s battery limits', () => {
      const charge = aSite({ maxChargeWh: 200, maxDischargeWh: 200, usableWh: 5_000, planWh: 900 });
      expect(charge.chargeWh[0]).toBe(200);
      const discharge = aSite({ maxChargeWh: 200, maxDischargeWh: 150, usableWh: 5_000, planWh: -900 });
      expect(discharge.dischargeWh[0]).toBe(150);
    });

    it('is ignored in an island: the island rule decides', () => {
      const b = aSite({ pvWh: 300, demandWh: [100, 0, 0], maxChargeWh: 1_000, maxDischargeWh: 1_000, usableWh: 5_000, planWh: -500 }, true);
      expect(b.dischargeWh[0]).toBe(0);
      expect(b.chargeWh[0]).toBe(200);
    });

    it('conserves energy at the site for any setpoint', () => {
      const arb = fc.record({
        pvWh: fc.integer({ min: 0, max: 5_000 }), demand: fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 3, maxLength: 3 }),
        deferrableWh: fc.integer({ min: 0, max: 3_000 }), maxChargeWh: fc.integer({ min: 0, max: 3_000 }), maxDischargeWh: fc.integer({ min: 0, max: 3_000 }),
        planWh: fc.integer({ min: -5_000, max: 5_000 }),
      });
      fc.assert(fc.property(arb, (s) => {
        const b = aSite({ pvWh: s.pvWh, demandWh: s.demand as [number, number, number], deferrableWh: s.deferrableWh, maxChargeWh: s.maxChargeWh, maxDischargeWh: s.maxDischargeWh, usableWh: 10_000, planWh: s.planWh });
        const [i0, i1, i2] = imports(b) as [number, number, number];
        const demand = (s.demand[0] as number) + (s.demand[1] as number) + (s.demand[2] as number);
        expect(s.pvWh + (b.dischargeWh[0] as number) + i0 + i1 + i2).toBe(demand + (b.deferrableServedWh[0] as number) + (b.chargeWh[0] as number) + (b.exportWh[0] as number));
        expect(b.chargeWh[0] === 0 || b.dischargeWh[0] === 0).toBe(true);
        expect(b.chargeWh[0]).toBeLessThanOrEqual(s.maxChargeWh);
        expect(b.dischargeWh[0]).toBeLessThanOrEqual(s.maxDischargeWh);
        expect(b.gridChargeWh[0]).toBeLessThanOrEqual(b.chargeWh[0] as number);
        for (const x of [i0, i1, i2, b.exportWh[0] as number, b.gridChargeWh[0] as number]) expect(x).toBeGreaterThanOrEqual(0);
      }), { seed: 4_343, numRuns: 500 });
    });
  });
});
