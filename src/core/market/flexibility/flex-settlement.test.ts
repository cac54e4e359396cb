import { describe, expect, it } from 'vitest';
import { minorFor, settleSiteSlot, type SiteSlotInput } from './flex-settlement.js';

const up = (o: Partial<SiteSlotInput>): SiteSlotInput => ({
  direction: 'up', baselineImportWh: 3000, meteredImportWh: 1000, awardedWh: 2000, priceMinorPerKwh: 15, penaltyMinorPerKwh: 20, ...o,
});

describe('settlement of an activated site-slot', () => {
  it('pays verified delivery at the award price', () => {
    expect(settleSiteSlot(up({}))).toEqual({ verified: true, deliveredWh: 2000, shortfallWh: 0, unverifiedWh: 0, paidMinor: 30, penaltyMinor: 0 });
  });

  it('penalises under-delivery', () => {
    const s = settleSiteSlot(up({ meteredImportWh: 2500 }));
    expect(s).toEqual({ verified: true, deliveredWh: 500, shortfallWh: 1500, unverifiedWh: 0, paidMinor: 8, penaltyMinor: 30 });
  });

  it('counts nothing delivered when the site drew more than its baseline', () => {
    const s = settleSiteSlot(up({ meteredImportWh: 3500 }));
    expect(s.deliveredWh).toBe(0);
    expect(s.paidMinor).toBe(0);
    expect(s.penaltyMinor).toBe(40);
  });

  it('pays delivery beyond the award too (an unbiased baseline keeps payments unbiased)', () => {
    const s = settleSiteSlot(up({ meteredImportWh: 0 }));
    expect(s.deliveredWh).toBe(3000);
    expect(s.paidMinor).toBe(45);
    expect(s.shortfallWh).toBe(0);
  });

  it('down: delivered is the import above the baseline', () => {
    const s = settleSiteSlot(up({ direction: 'down', baselineImportWh: -4000, meteredImportWh: -1000, awardedWh: 3000, priceMinorPerKwh: 5 }));
    expect(s).toEqual({ verified: true, deliveredWh: 3000, shortfallWh: 0, unverifiedWh: 0, paidMinor: 15, penaltyMinor: 0 });
  });

  it('error path: without a baseline nothing is verified, paid or penalised', () => {
    expect(settleSiteSlot(up({ baselineImportWh: undefined }))).toEqual({
      verified: false, deliveredWh: 0, shortfallWh: 0, unverifiedWh: 2000, paidMinor: 0, penaltyMinor: 0,
    });
  });

  it('rounds money to whole minor units, half away from zero', () => {
    expect(minorFor(100, 15)).toBe(2); // 1.5
    expect(minorFor(99, 15)).toBe(1); // 1.485
    expect(minorFor(100, -15)).toBe(-2);
    expect(Object.is(minorFor(10, -1), 0)).toBe(true);
    expect(Number.isInteger(settleSiteSlot(up({ meteredImportWh: 1234, priceMinorPerKwh: 13.7 })).paidMinor)).toBe(true);
  });
});
