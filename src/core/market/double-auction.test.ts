import { describe, expect, it } from 'vitest';
import { chooseSortStrategy, clearDoubleAuction, DoubleAuction, MAX_ORDERS_PER_SIDE, MECHANISMS, uniformPrice, type AuctionBook, type AuctionResult } from './double-auction.js';
import { OrderBookError } from './order.js';

type Orders = readonly (readonly [energyWh: number, priceMinorPerKwh: number])[];

/** A book from [energyWh, price] pairs, indices in list order. */
function aBook(bids: Orders, offers: Orders): AuctionBook {
  return {
    bidCount: bids.length,
    bidEnergyWh: Float64Array.from(bids, (b) => b[0]),
    bidPriceMinorPerKwh: Float64Array.from(bids, (b) => b[1]),
    offerCount: offers.length,
    offerEnergyWh: Float64Array.from(offers, (o) => o[0]),
    offerPriceMinorPerKwh: Float64Array.from(offers, (o) => o[1]),
  };
}

/** Trades as [bid, offer, energyWh, price] rows. */
function trades(r: AuctionResult): number[][] {
  return Array.from({ length: r.tradeCount }, (_, t) => [
    r.tradeBid[t] as number, r.tradeOffer[t] as number, r.tradeEnergyWh[t] as number, r.tradePriceMinorPerKwh[t] as number,
  ]);
}

describe('clearDoubleAuction', () => {
  it('clears at the crossing price', () => {
    // Bids 32, 28, 25, 18, 10 against offers 8, 15, 22, 30: the curves cross between 25/22 and 18/22.
    const book = aBook([[3000, 32], [5000, 28], [2000, 25], [8000, 18], [4000, 10]], [[4000, 8], [3000, 15], [6000, 22], [5000, 30]]);
    const r = clearDoubleAuction(book, 'pay-as-clear');
    expect(r.mechanism).toBe('pay-as-clear');
    expect(r.clearingPriceMinorPerKwh).toBe(23); // floor((25 + 22) / 2)
    expect(r.volumeWh).toBe(10_000);
    expect(trades(r)).toEqual([[0, 0, 3000, 23], [1, 0, 1000, 23], [1, 1, 3000, 23], [1, 2, 1000, 23], [2, 2, 2000, 23]]);
    expect(Array.from(r.bidMatchedWh)).toEqual([3000, 5000, 2000, 0, 0]);
    expect(Array.from(r.offerMatchedWh)).toEqual([4000, 3000, 3000, 0]);
  });

  it('sorts bids by price descending and offers ascending whatever the submission order', () => {
    const r = clearDoubleAuction(aBook([[100, 10], [100, 50], [100, 30]], [[100, 40], [100, 5], [100, 20]]), 'pay-as-clear');
    expect(trades(r)).toEqual([[1, 1, 100, 25], [2, 2, 100, 25]]);
    expect(r.clearingPriceMinorPerKwh).toBe(25); // floor((30 + 20) / 2)
  });

  it('breaks ties at equal prices by submission order, deterministically', () => {
    const book = aBook([[100, 20], [100, 20], [100, 20]], [[150, 10], [150, 10]]);
    const r = clearDoubleAuction(book, 'pay-as-clear');
    expect(trades(r)).toEqual([[0, 0, 100, 15], [1, 0, 50, 15], [1, 1, 50, 15], [2, 1, 100, 15]]);
    const again = clearDoubleAuction(book, 'pay-as-clear');
    expect(trades(again)).toEqual(trades(r));
    const partial = clearDoubleAuction(aBook([[100, 20], [100, 20], [100, 20]], [[150, 10]]), 'pay-as-clear');
    expect(Array.from(partial.bidMatchedWh)).toEqual([100, 50, 0]);
  });

  it('trades nothing and gives a null price when the curves do not cross', () => {
    for (const mechanism of MECHANISMS) {
      const r = clearDoubleAuction(aBook([[100, 10], [200, 9]], [[100, 11], [50, 30]]), mechanism);
      expect(r).toMatchObject({ clearingPriceMinorPerKwh: null, volumeWh: 0, tradeCount: 0 });
      expect(Array.from(r.bidMatchedWh)).toEqual([0, 0]);
      expect(Array.from(r.offerMatchedWh)).toEqual([0, 0]);
    }
  });

  it('handles an empty side', () => {
    expect(clearDoubleAuction(aBook([], [[100, 1]]), 'pay-as-clear')).toMatchObject({ volumeWh: 0, tradeCount: 0, clearingPriceMinorPerKwh: null });
    expect(clearDoubleAuction(aBook([[100, 1]], []), 'pay-as-bid')).toMatchObject({ volumeWh: 0, tradeCount: 0 });
    expect(clearDoubleAuction(aBook([], []), 'pay-as-clear').tradeCount).toBe(0);
  });

  it('fills orders partially', () => {
    const r = clearDoubleAuction(aBook([[1000, 30]], [[300, 10], [400, 20], [500, 29], [600, 31]]), 'pay-as-clear');
    expect(trades(r)).toEqual([[0, 0, 300, 29], [0, 1, 400, 29], [0, 2, 300, 29]]);
    expect(Array.from(r.offerMatchedWh)).toEqual([300, 400, 300, 0]);
    expect(r.volumeWh).toBe(1000);
  });

  it('trades at equal bid and offer prices', () => {
    const r = clearDoubleAuction(aBook([[100, 20]], [[100, 20]]), 'pay-as-clear');
    expect(r).toMatchObject({ volumeWh: 100, clearingPriceMinorPerKwh: 20 });
  });

  it('pay-as-bid: each trade at its bid price and no clearing price', () => {
    const book = aBook([[3000, 32], [5000, 28], [2000, 25], [8000, 18]], [[4000, 8], [3000, 15], [6000, 22]]);
    const r = clearDoubleAuction(book, 'pay-as-bid');
    expect(r.clearingPriceMinorPerKwh).toBeNull();
    expect(r.volumeWh).toBe(10_000);
    expect(trades(r)).toEqual([[0, 0, 3000, 32], [1, 0, 1000, 28], [1, 1, 3000, 28], [1, 2, 1000, 28], [2, 2, 2000, 25]]);
  });

  it('clears negative prices, rounding the uniform price down', () => {
    const r = clearDoubleAuction(aBook([[500, -3], [500, -10]], [[400, -20], [400, -8]]), 'pay-as-clear');
    expect(trades(r)).toEqual([[0, 0, 400, -6], [0, 1, 100, -6]]);
    expect(r.clearingPriceMinorPerKwh).toBe(-6); // floor((-3 + -8) / 2) = floor(-5.5)
    const bid = clearDoubleAuction(aBook([[500, -3]], [[400, -20]]), 'pay-as-bid');
    expect(trades(bid)).toEqual([[0, 0, 400, -3]]);
  });

  it('gives +0, never -0, and a price within the marginal pair', () => {
    expect(Object.is(uniformPrice(0, 0), 0)).toBe(true);
    expect(Object.is(uniformPrice(1, -1), 0)).toBe(true);
    expect(uniformPrice(7, 6)).toBe(6);
    expect(uniformPrice(-6, -7)).toBe(-7);
  });

  it('sorts price ranges too wide for packed keys with the fallback, with the same rules', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const r = clearDoubleAuction(aBook([[100, 5], [100, big], [100, 5]], [[150, -big], [100, 5], [100, 4]]), 'pay-as-bid');
    expect(trades(r)).toEqual([[1, 0, 100, big], [0, 0, 50, 5], [0, 2, 50, 5], [2, 2, 50, 5], [2, 1, 50, 5]]);
  });

  it('chooses counting, packed keys or the comparator from the price range', () => {
    expect(chooseSortStrategy(500_000, 100)).toBe('counting');
    expect(chooseSortStrategy(500_000, 1_999_999)).toBe('counting');
    expect(chooseSortStrategy(500_000, 2_000_000)).toBe('packed-keys');
    expect(chooseSortStrategy(500_000, 2 ** 34 - 1)).toBe('packed-keys'); // (range + 1) * 2^19 = 2^53
    expect(chooseSortStrategy(500_000, 2 ** 34)).toBe('comparator');
    expect(chooseSortStrategy(1, 0)).toBe('counting');
  });

  it('orders a book the same way with every sort strategy', () => {
    // The same relative prices scaled so that each side is sorted by counting, packed keys, comparator.
    const bids = [[100, 2], [300, 3], [100, 2], [200, -1], [100, 3]] as const;
    const offers = [[150, 1], [100, -2], [150, 1], [400, 2]] as const;
    const results = [1, 1_000_000, 2 ** 50].map((scale) => {
      const book = aBook(bids.map(([e, p]) => [e, p * scale] as const), offers.map(([e, p]) => [e, p * scale] as const));
      const r = clearDoubleAuction(book, 'pay-as-bid');
      return trades(r).map(([b, o, e, p]) => [b, o, e, (p as number) / scale]);
    });
    expect(results[0]).toEqual([[1, 1, 100, 3], [1, 0, 150, 3], [1, 2, 50, 3], [4, 2, 100, 3], [0, 3, 100, 2], [2, 3, 100, 2]]);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('reads only the first bidCount / offerCount entries', () => {
    const book = aBook([[100, 50], [100, 40]], [[100, 10], [100, 1]]);
    const r = clearDoubleAuction({ ...book, bidCount: 1, offerCount: 1 }, 'pay-as-clear');
    expect(trades(r)).toEqual([[0, 0, 100, 30]]);
    expect(r.bidMatchedWh).toHaveLength(1);
  });

  it('reuses its buffers across books of different sizes', () => {
    const auction = new DoubleAuction();
    const small = aBook([[100, 20]], [[100, 10]]);
    const big = aBook(Array.from({ length: 50 }, (_, i) => [100, 100 - i] as const), Array.from({ length: 50 }, (_, i) => [100, i] as const));
    expect(auction.clear(big, 'pay-as-clear').volumeWh).toBe(5_000);
    const r = auction.clear(small, 'pay-as-bid');
    expect(trades(r)).toEqual([[0, 0, 100, 20]]);
    expect(r.bidMatchedWh).toHaveLength(1);
    expect(auction.clear(big, 'pay-as-clear').volumeWh).toBe(5_000);
  });

  it('error: rejects a book above the limit per side', () => {
    const book = aBook([], []);
    const tooMany = { ...book, bidCount: MAX_ORDERS_PER_SIDE + 1, bidEnergyWh: new Float64Array(0) };
    expect(() => clearDoubleAuction(tooMany, 'pay-as-clear')).toThrow(new OrderBookError(`too many bids in one auction book: at most 2000000 per side (got 2000001)`));
  });

  it('error: rejects bad entries, counts and mechanisms', () => {
    expect(() => clearDoubleAuction(aBook([[0, 1]], []), 'pay-as-clear')).toThrow(/bidEnergyWh\[0\]: expected a positive integer number of Wh \(got 0\)/);
    expect(() => clearDoubleAuction(aBook([], [[1.5, 1]]), 'pay-as-clear')).toThrow(/offerEnergyWh\[0\]/);
    expect(() => clearDoubleAuction(aBook([[10, NaN]], []), 'pay-as-clear')).toThrow(/bidPriceMinorPerKwh\[0\]: expected an integer price in minor units per kWh \(got NaN\)/);
    expect(() => clearDoubleAuction(aBook([[10, 2.5]], []), 'pay-as-clear')).toThrow(OrderBookError);
    expect(() => clearDoubleAuction({ ...aBook([], []), offerCount: 2 }, 'pay-as-clear')).toThrow(/offerCount is 2 but the offer arrays hold 0 entries/);
    expect(() => clearDoubleAuction({ ...aBook([], []), bidCount: -1 }, 'pay-as-clear')).toThrow(/bidCount must be a non-negative integer/);
    expect(() => clearDoubleAuction(aBook([], []), 'uniform' as never)).toThrow(/unknown auction mechanism "uniform"/);
  });
});
