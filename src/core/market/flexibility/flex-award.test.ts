import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlexResource } from '../../sim/scenario-schema.js';
import { awardMeritOrder } from './flex-award.js';
import type { FlexOffer } from './flex-offers.js';

/** An independent site's offer (rank = site position) with one unit per energy given. */
function anOffer(o: { site: number; price: number; wh: number[]; resource?: FlexResource; activations?: number; aggregator?: number }): FlexOffer {
  const resource = o.resource ?? 'ev-pause';
  const units = o.wh.map((energyWh, device) => ({ site: o.site, resource, device, energyWh }));
  return {
    aggregator: o.aggregator ?? -1, activations: o.activations ?? 0, rank: o.aggregator ?? 100 + o.site, resource,
    priceMinorPerKwh: o.price, energyWh: o.wh.reduce((s, x) => s + x, 0), units,
  };
}

const sitesOf = (award: ReturnType<typeof awardMeritOrder>): number[] => award.units.map((u) => u.unit.site);

describe('merit-order award', () => {
  it('takes the cheapest offers first until the request is covered', () => {
    const offers = [anOffer({ site: 0, price: 20, wh: [1000] }), anOffer({ site: 1, price: 10, wh: [1000] }), anOffer({ site: 2, price: 15, wh: [1000] })];
    const award = awardMeritOrder(offers, 1500, 25);
    expect(award.outcome).toBe('covered');
    expect(sitesOf(award)).toEqual([1, 2]);
    expect(award.awardedWh).toBe(2000);
  });

  it('never awards an offer above the price cap', () => {
    const offers = [anOffer({ site: 0, price: 30, wh: [5000] }), anOffer({ site: 1, price: 10, wh: [1000] })];
    const award = awardMeritOrder(offers, 3000, 25);
    expect(award.outcome).toBe('short');
    expect(sitesOf(award)).toEqual([1]);
    expect(award.awardedWh).toBe(1000);
  });

  it('error path: no offers at all', () => {
    expect(awardMeritOrder([], 1000, 25)).toEqual({ outcome: 'no-offers', awardedWh: 0, units: [] });
  });

  it('error path: a cap below every offer awards nothing', () => {
    const award = awardMeritOrder([anOffer({ site: 0, price: 30, wh: [1000] }), anOffer({ site: 1, price: 26, wh: [1000] })], 1000, 25);
    expect(award).toEqual({ outcome: 'above-cap', awardedWh: 0, units: [] });
  });

  it('takes an offer device by device and stops once covered', () => {
    const award = awardMeritOrder([anOffer({ site: 0, price: 10, wh: [600, 600, 600] })], 1000, 25);
    expect(award.units.map((u) => u.unit.device)).toEqual([0, 1]);
    expect(award.awardedWh).toBe(1200);
  });

  it('breaks price ties by fewest activations, then aggregator/site order, then resource', () => {
    const offers = [
      anOffer({ site: 3, price: 15, wh: [500] }),
      anOffer({ site: 1, price: 15, wh: [500], activations: 4 }),
      anOffer({ site: 2, price: 15, wh: [500] }),
      anOffer({ site: 9, price: 15, wh: [500], aggregator: 0 }),
      anOffer({ site: 2, price: 15, wh: [500], resource: 'washing-shift' }),
    ];
    const order = awardMeritOrder(offers, 10_000, 15).units.map((u) => `${u.unit.site}:${u.unit.resource}`);
    expect(order).toEqual(['9:ev-pause', '2:ev-pause', '2:washing-shift', '3:ev-pause', '1:ev-pause']);
    // Same input in another order: same award.
    expect(awardMeritOrder([...offers].reverse(), 10_000, 15).units.map((u) => `${u.unit.site}:${u.unit.resource}`)).toEqual(order);
  });

  it('covers the request with less than one device to spare, never above the cap (property)', () => {
    const offer = fc.record({ price: fc.integer({ min: -5, max: 40 }), wh: fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 4 }) });
    fc.assert(fc.property(fc.array(offer, { maxLength: 12 }), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 40 }), (specs, requestedWh, cap) => {
      const offers = specs.map((s, site) => anOffer({ site, price: s.price, wh: s.wh }));
      const award = awardMeritOrder(offers, requestedWh, cap);
      const eligibleWh = offers.filter((o) => o.priceMinorPerKwh <= cap).reduce((s, o) => s + o.energyWh, 0);
      expect(award.units.every((u) => u.offer.priceMinorPerKwh <= cap)).toBe(true);
      expect(award.awardedWh).toBe(award.units.reduce((s, u) => s + u.unit.energyWh, 0));
      if (award.outcome === 'covered') {
        const last = award.units[award.units.length - 1]?.unit.energyWh ?? 0;
        expect(award.awardedWh).toBeGreaterThanOrEqual(requestedWh);
        expect(award.awardedWh - last).toBeLessThan(requestedWh);
      } else {
        expect(award.awardedWh).toBe(eligibleWh);
      }
      // Merit order: no unawarded eligible offer is cheaper than an awarded one.
      const awarded = new Set(award.units.map((u) => u.offer));
      const maxAwarded = Math.max(-Infinity, ...[...awarded].map((o) => o.priceMinorPerKwh));
      expect(offers.filter((o) => !awarded.has(o) && o.priceMinorPerKwh <= cap).every((o) => o.priceMinorPerKwh >= maxAwarded)).toBe(true);
    }));
  });
});
