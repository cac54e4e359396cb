import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearDoubleAuction, DoubleAuction, MECHANISMS, type AuctionBook, type AuctionResult, type Mechanism } from './double-auction.js';

const RUNS = { seed: 42, numRuns: 300 };

const orders = (maxPrice: number) => fc.array(
  fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: -maxPrice, max: maxPrice })),
  { maxLength: 12 },
);
const books = fc.oneof(fc.constant(10), fc.constant(1_000), fc.constant(2 ** 52)).chain((maxPrice) =>
  fc.tuple(orders(maxPrice), orders(maxPrice)).map(([bids, offers]): AuctionBook => ({
    bidCount: bids.length,
    bidEnergyWh: Float64Array.from(bids, (b) => b[0]),
    bidPriceMinorPerKwh: Float64Array.from(bids, (b) => b[1]),
    offerCount: offers.length,
    offerEnergyWh: Float64Array.from(offers, (o) => o[0]),
    offerPriceMinorPerKwh: Float64Array.from(offers, (o) => o[1]),
  })));
const mechanisms = fc.constantFrom<Mechanism>(...MECHANISMS);

/** Independent reference: every Wh as a unit, bid units by price descending, offer units ascending. */
function reference(book: AuctionBook): { volumeWh: number; surplus: bigint } {
  const units = (count: number, energy: Float64Array, price: Float64Array): number[] =>
    Array.from({ length: count }, (_, i) => Array<number>(energy[i] as number).fill(price[i] as number)).flat();
  const bidUnits = units(book.bidCount, book.bidEnergyWh, book.bidPriceMinorPerKwh).sort((a, b) => b - a);
  const offerUnits = units(book.offerCount, book.offerEnergyWh, book.offerPriceMinorPerKwh).sort((a, b) => a - b);
  let volumeWh = 0;
  let surplus = 0n;
  while (volumeWh < bidUnits.length && volumeWh < offerUnits.length && (bidUnits[volumeWh] as number) >= (offerUnits[volumeWh] as number)) {
    surplus += BigInt(bidUnits[volumeWh] as number) - BigInt(offerUnits[volumeWh] as number);
    volumeWh++;
  }
  return { volumeWh, surplus };
}

function sum(values: Float64Array): number {
  return values.reduce((s, x) => s + x, 0);
}

function checkTrades(book: AuctionBook, r: AuctionResult): void {
  const bidWh = new Float64Array(book.bidCount);
  const offerWh = new Float64Array(book.offerCount);
  let paidByBids = 0n;
  let receivedByOffers = 0n;
  for (let t = 0; t < r.tradeCount; t++) {
    const b = r.tradeBid[t] as number;
    const o = r.tradeOffer[t] as number;
    const q = r.tradeEnergyWh[t] as number;
    const p = r.tradePriceMinorPerKwh[t] as number;
    expect(Number.isInteger(q) && q > 0).toBe(true);
    expect(Number.isInteger(p)).toBe(true);
    // Individually rational: the buyer pays at most its limit, the seller gets at least its own.
    expect(p).toBeLessThanOrEqual(book.bidPriceMinorPerKwh[b] as number);
    expect(p).toBeGreaterThanOrEqual(book.offerPriceMinorPerKwh[o] as number);
    if (r.mechanism === 'pay-as-bid') expect(p).toBe(book.bidPriceMinorPerKwh[b]);
    else expect(p).toBe(r.clearingPriceMinorPerKwh);
    bidWh[b] = (bidWh[b] as number) + q;
    offerWh[o] = (offerWh[o] as number) + q;
    // Each trade has one price: what its buyer pays is what its seller receives.
    paidByBids += BigInt(q) * BigInt(p);
    receivedByOffers += BigInt(q) * BigInt(p);
  }
  expect(paidByBids).toBe(receivedByOffers);
  expect(Array.from(r.bidMatchedWh)).toEqual(Array.from(bidWh));
  expect(Array.from(r.offerMatchedWh)).toEqual(Array.from(offerWh));
}

describe('clearDoubleAuction (properties)', () => {
  it('every trade is individually rational and budget balanced, at integer Wh and prices', () => {
    fc.assert(fc.property(books, mechanisms, (book, mechanism) => {
      const r = clearDoubleAuction(book, mechanism);
      checkTrades(book, r);
      expect(r.tradeCount).toBeLessThanOrEqual(book.bidCount + book.offerCount);
    }), RUNS);
  });

  it('matches no order beyond its energy, and both sides match the volume', () => {
    fc.assert(fc.property(books, mechanisms, (book, mechanism) => {
      const r = clearDoubleAuction(book, mechanism);
      for (let i = 0; i < book.bidCount; i++) expect(r.bidMatchedWh[i]).toBeLessThanOrEqual(book.bidEnergyWh[i] as number);
      for (let i = 0; i < book.offerCount; i++) expect(r.offerMatchedWh[i]).toBeLessThanOrEqual(book.offerEnergyWh[i] as number);
      expect(sum(r.bidMatchedWh)).toBe(r.volumeWh);
      expect(sum(r.offerMatchedWh)).toBe(r.volumeWh);
      expect(sum(r.tradeEnergyWh.subarray(0, r.tradeCount))).toBe(r.volumeWh);
    }), RUNS);
  });

  it('trades the welfare-maximising volume and surplus of a brute-force reference', () => {
    fc.assert(fc.property(books, mechanisms, (book, mechanism) => {
      const r = clearDoubleAuction(book, mechanism);
      const ref = reference(book);
      expect(r.volumeWh).toBe(ref.volumeWh);
      let surplus = 0n;
      for (let t = 0; t < r.tradeCount; t++) {
        const margin = BigInt(book.bidPriceMinorPerKwh[r.tradeBid[t] as number] as number) - BigInt(book.offerPriceMinorPerKwh[r.tradeOffer[t] as number] as number);
        surplus += BigInt(r.tradeEnergyWh[t] as number) * margin;
      }
      expect(surplus).toBe(ref.surplus);
      expect(r.clearingPriceMinorPerKwh === null).toBe(mechanism === 'pay-as-bid' || r.volumeWh === 0);
    }), RUNS);
  });

  it('misses no trade: every bid with energy left is priced below every offer with energy left', () => {
    fc.assert(fc.property(books, mechanisms, (book, mechanism) => {
      const r = clearDoubleAuction(book, mechanism);
      for (let b = 0; b < book.bidCount; b++) {
        if (r.bidMatchedWh[b] === book.bidEnergyWh[b]) continue;
        for (let o = 0; o < book.offerCount; o++) {
          if (r.offerMatchedWh[o] === book.offerEnergyWh[o]) continue;
          expect(book.bidPriceMinorPerKwh[b]).toBeLessThan(book.offerPriceMinorPerKwh[o] as number);
        }
      }
    }), RUNS);
  });

  it('a reused DoubleAuction gives the same result as fresh buffers', () => {
    const auction = new DoubleAuction();
    fc.assert(fc.property(books, mechanisms, (book, mechanism) => {
      const reused = auction.clear(book, mechanism);
      const fresh = clearDoubleAuction(book, mechanism);
      expect(reused).toEqual(fresh);
    }), RUNS);
  });
});
